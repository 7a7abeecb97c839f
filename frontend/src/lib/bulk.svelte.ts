// The tickets checked in the list for one change made to all of them
// (labels, assignee, close, reopen). Checking follows the mail clients: a
// click on the box or Ctrl/Cmd-click toggles one ticket, Shift-click checks
// the range from the last one toggled, x toggles the cursor's. A change
// goes to the Go side once per project: a label or member one project lacks
// is not forced onto its tickets, and what was left alone is said.

import { SvelteMap } from 'svelte/reactivity';
import { ticketKey, type BulkTriageRequest, type OutboxOp, type Project, type TicketKey, type TicketRow } from '../api/types';
import { message } from './errors';

/** The Go side call this store needs. */
export interface BulkApi {
  bulkTriage(b: BulkTriageRequest): Promise<OutboxOp[]>;
}

/** Where ranges come from: the list's rows by index (PagedList<TicketRow>). */
export interface RangeSource {
  rowsBetween(a: number, b: number): Promise<TicketRow[]>;
}

/** The most tickets one BulkTriage takes. */
export const MAX_BULK = 1000;

/** One change for all the checked tickets. */
export type BulkChange =
  | { kind: 'add-label'; label: string }
  | { kind: 'remove-label'; label: string }
  | { kind: 'assign'; username: string }
  | { kind: 'unassign' }
  | { kind: 'close' }
  | { kind: 'reopen' };

function plural(n: number, noun = 'ticket'): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : `${noun}s`}`;
}

function sorted(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/** The labels offered to add: those of the checked tickets' projects. */
export function labelsToAdd(projects: readonly Project[], rows: readonly TicketRow[]): string[] {
  const ids = new Set(rows.map((r) => r.project_id));
  return sorted(projects.filter((p) => ids.has(p.id)).flatMap((p) => p.labels.map((l) => l.name)));
}

/** The labels offered to remove: those the checked tickets have. */
export function labelsToRemove(rows: readonly TicketRow[]): string[] {
  return sorted(rows.flatMap((r) => r.labels));
}

/** The people offered to assign: the members of the checked tickets' projects. */
export function membersOf(projects: readonly Project[], rows: readonly TicketRow[]): Array<{ username: string; name: string }> {
  const ids = new Set(rows.map((r) => r.project_id));
  const byName = new Map<string, string>();
  for (const p of projects) {
    if (!ids.has(p.id)) continue;
    for (const m of p.members) if (!byName.has(m.username)) byName.set(m.username, m.name);
  }
  return [...byName].map(([username, name]) => ({ username, name })).sort((a, b) => a.username.localeCompare(b.username));
}

/** requestFor is the BulkTriage request of a change for some tickets. */
export function requestFor(change: BulkChange, tickets: readonly TicketRow[]): BulkTriageRequest {
  const req: BulkTriageRequest = {
    tickets: tickets.map((t) => ({ project_id: t.project_id, iid: t.iid })),
    add_labels: [],
    remove_labels: [],
    assignees: null,
    state: '',
  };
  switch (change.kind) {
    case 'add-label':
      req.add_labels = [change.label];
      break;
    case 'remove-label':
      req.remove_labels = [change.label];
      break;
    case 'assign':
      req.assignees = [change.username];
      break;
    case 'unassign':
      req.assignees = [];
      break;
    case 'close':
      req.state = 'close';
      break;
    case 'reopen':
      req.state = 'reopen';
      break;
  }
  return req;
}

/** fits says whether a project can take a change: it has the label or the member. */
function fits(change: BulkChange, project: Project | undefined): boolean {
  if (change.kind === 'add-label') return project?.labels.some((l) => l.name === change.label) ?? false;
  if (change.kind === 'assign') return project?.members.some((m) => m.username === change.username) ?? false;
  return true;
}

/** What a change did, for the line under the list's header. */
function done(change: BulkChange, n: number): string {
  const what = plural(n);
  switch (change.kind) {
    case 'add-label':
      return `Adding “${change.label}” to ${what}.`;
    case 'remove-label':
      return `Removing “${change.label}” from ${what}.`;
    case 'assign':
      return `Assigning ${what} to ${change.username}.`;
    case 'unassign':
      return `Unassigning ${what}.`;
    case 'close':
      return `Closing ${what}.`;
    case 'reopen':
      return `Reopening ${what}.`;
  }
}

export class BulkStore {
  /** The index the last toggle was at: where a Shift-click range starts. */
  anchor = $state<number | null>(null);
  busy = $state(false);
  /** The sentence of the last change's failures; "" when all went. */
  error = $state('');
  /** What the last change did (or left alone); "" when nothing to say. */
  notice = $state('');

  readonly #api: BulkApi;
  readonly #onOps: (ops: OutboxOp[]) => void;
  readonly #checked = new SvelteMap<TicketKey, TicketRow>();

  /** onOps hears of the ops queued, for the outbox. */
  constructor(api: BulkApi, onOps: (ops: OutboxOp[]) => void = () => {}) {
    this.#api = api;
    this.#onOps = onOps;
  }

  get size(): number {
    return this.#checked.size;
  }

  /** The checked tickets as they were when checked. */
  get rows(): TicketRow[] {
    return [...this.#checked.values()];
  }

  has(key: TicketKey): boolean {
    return this.#checked.has(key);
  }

  /** toggle checks or unchecks one ticket; index is its place, where a range starts from. */
  toggle(row: TicketRow, index: number): void {
    const key = ticketKey(row);
    if (this.#checked.has(key)) this.#checked.delete(key);
    else this.#checked.set(key, row);
    this.anchor = index;
  }

  /**
   * extendTo checks every ticket from the anchor to index (both included),
   * fetching the rows between that are not here; without an anchor it
   * toggles the one ticket.
   */
  async extendTo(row: TicketRow, index: number, source: RangeSource): Promise<void> {
    const from = this.anchor;
    if (from === null) {
      this.toggle(row, index);
      return;
    }
    const rows = await source.rowsBetween(from, index);
    for (const r of rows) this.#checked.set(ticketKey(r), r);
    this.#checked.set(ticketKey(row), row);
    this.anchor = index;
  }

  clear(): void {
    this.#checked.clear();
    this.anchor = null;
  }

  /** forget clears the checks when the list shows another query: they would act on tickets out of sight. */
  forget(): void {
    this.clear();
    this.error = '';
    this.notice = '';
  }

  dismiss(): void {
    this.error = '';
    this.notice = '';
  }

  /**
   * apply makes one change to the checked tickets, one BulkTriage per
   * project. Tickets whose project lacks the label or member are left
   * alone (and said so). The checks are cleared; failures stay in error.
   */
  async apply(change: BulkChange, projects: readonly Project[]): Promise<boolean> {
    if (this.busy || this.#checked.size === 0) return false;
    const groups = new Map<number, TicketRow[]>();
    for (const r of this.#checked.values()) {
      const group = groups.get(r.project_id);
      if (group) group.push(r);
      else groups.set(r.project_id, [r]);
    }
    this.busy = true;
    this.error = '';
    this.notice = '';
    const failures: string[] = [];
    let changed = 0;
    let skipped = 0;
    try {
      for (const [projectId, rows] of groups) {
        const project = projects.find((p) => p.id === projectId);
        if (!fits(change, project)) {
          skipped += rows.length;
          continue;
        }
        // The Go side takes at most MAX_BULK tickets a call.
        for (let i = 0; i < rows.length; i += MAX_BULK) {
          const part = rows.slice(i, i + MAX_BULK);
          try {
            this.#onOps(await this.#api.bulkTriage(requestFor(change, part)));
            changed += part.length;
          } catch (err) {
            failures.push(groups.size > 1 ? `${project?.path ?? `project ${projectId}`}: ${message(err)}` : message(err));
          }
        }
      }
    } finally {
      this.busy = false;
    }
    const notes = changed > 0 ? [done(change, changed)] : [];
    if (skipped > 0) {
      const lacks = change.kind === 'assign' ? `${change.username} is not a member` : 'the label does not exist';
      notes.push(`${plural(skipped)} left alone: ${lacks} in ${skipped === 1 ? 'its' : 'their'} project.`);
    }
    this.notice = notes.join(' ');
    this.error = failures.join(' ');
    this.clear();
    return failures.length === 0;
  }
}
