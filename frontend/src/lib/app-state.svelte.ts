// Wires the stores together and to the Go side's events. main.ts hands it the
// real api; tests hand it fakes.

import {
  parseTicketKey,
  type About,
  type Report,
  savedViewId,
  ticketKey,
  type Decision,
  type OutboxOp,
  type Overview,
  type SavedView,
  type SyncStatus,
  type Ticket,
  type TicketKey,
  type TicketsChanged,
  type TriageRequest,
} from '../api/types';
import type { FormsApi } from './account-forms.svelte';
import { AccountsStore, type AccountsApi } from './accounts.svelte';
import { BulkStore, type BulkApi } from './bulk.svelte';
import { Clock } from './clock.svelte';
import { ComposerStore, type DraftApi } from './composer.svelte';
import { DemoStore, type DemoApi } from './demo.svelte';
import { message } from './errors';
import { MacrosStore, type MacrosApi } from './macros.svelte';
import { MailStore, type MailApi } from './mail.svelte';
import { OutboxStore, type OutboxApi } from './outbox.svelte';
import { OverviewStore } from './overview.svelte';
import { PrefsStore, type PrefsApi } from './prefs.svelte';
import { SavedViewsStore, type SavedViewsApi } from './saved-views.svelte';
import { SettingsStore } from './settings.svelte';
import { SelectionStore } from './selection.svelte';
import { TemplatesStore, type TemplatesApi } from './templates.svelte';
import { DEFAULT_VIEW, TicketsStore, type TicketsApi } from './tickets.svelte';
import { UnlinkedMailStore, type UnlinkedApi } from './unlinked.svelte';

/** Everything the page needs from the Go side (src/api provides it). */
export interface Api
  extends AccountsApi,
    FormsApi,
    DemoApi,
    MailApi,
    MacrosApi,
    OutboxApi,
    DraftApi,
    TemplatesApi,
    PrefsApi,
    TicketsApi,
    BulkApi,
    SavedViewsApi,
    UnlinkedApi {
  getOverview(projectId: number): Promise<Overview>;
  getTicket(projectId: number, iid: number): Promise<Ticket>;
  syncNow(): Promise<void>;
  onSyncState(cb: (s: SyncStatus) => void): () => void;
  onTicketsChanged(cb: (c: TicketsChanged) => void): () => void;
  onOutboxChanged(cb: (ops: OutboxOp[]) => void): () => void;
  triage(t: TriageRequest): Promise<OutboxOp[]>;
  merge(projectId: number, from: number, into: number): Promise<OutboxOp>;
  about(): Promise<About>;
  getReport(projectId: number, from: string, to: string): Promise<Report>;
  exportReport(projectId: number, from: string, to: string): Promise<string>;
}

/** What the middle pane shows: the ticket list of a view, or the outbox. */
export type MiddlePane = 'tickets' | 'outbox' | 'reports';

export class AppState {
  readonly overview: OverviewStore;
  readonly tickets: TicketsStore;
  readonly selection: SelectionStore;
  readonly accounts: AccountsStore;
  readonly settings: SettingsStore;
  readonly demo: DemoStore;
  readonly mail: MailStore;
  readonly outbox: OutboxStore;
  readonly composer: ComposerStore;
  readonly templates: TemplatesStore;
  readonly macros: MacrosStore;
  readonly prefs: PrefsStore;
  readonly bulk: BulkStore;
  readonly views: SavedViewsStore;
  readonly unlinked: UnlinkedMailStore;
  readonly clock = new Clock();
  pane = $state<MiddlePane>('tickets');
  readonly #api: Api;

  constructor(api: Api) {
    this.#api = api;
    this.overview = new OverviewStore(api);
    this.composer = new ComposerStore(api);
    this.templates = new TemplatesStore(api, () => this.overview.projects);
    this.tickets = new TicketsStore(api);
    this.selection = new SelectionStore(api, (key, changed) => {
      if (changed) void this.composer.open(key);
      // Opening a ticket reads it: the Go side notes when, for the unread marks.
      void this.tickets.markRead(parseTicketKey(key), true);
    });
    this.selection.follow(this.tickets.list);
    this.bulk = new BulkStore(api, (ops) => this.outbox.apply(ops));
    // Checks belong to the query they were made in: another one clears them.
    this.tickets.subscribe((change) => {
      if (change === 'reset') this.bulk.forget();
    });
    this.views = new SavedViewsStore(
      api,
      (view, created) => this.#viewSaved(view, created),
      (id) => this.#viewDeleted(id),
    );
    this.unlinked = new UnlinkedMailStore(api);
    this.accounts = new AccountsStore(api);
    this.settings = new SettingsStore(
      api,
      () => this.overview.projects.map((p) => p.id),
      () => this.#afterAccountChange(),
    );
    this.demo = new DemoStore(api, () => this.refresh());
    this.mail = new MailStore(api);
    this.outbox = new OutboxStore(api);
    this.macros = new MacrosStore(api);
    this.prefs = new PrefsStore(api);
  }

  /** True when the profile has no account yet and the first-run panel shows. */
  get firstRun(): boolean {
    const s = this.overview.status;
    return this.overview.loaded && s !== null && !s.has_account && !s.demo;
  }

  /** removeAccount removes an account and reloads what depended on it. */
  async removeAccount(id: number): Promise<boolean> {
    const ok = await this.accounts.remove(id);
    if (ok) await this.overview.load();
    return ok;
  }

  async #afterAccountChange(): Promise<void> {
    await Promise.all([this.accounts.load(), this.refresh()]);
  }

  /** start loads everything, listens to the Go side, and returns the teardown. */
  start(): () => void {
    const stops = [
      this.#api.onSyncState((s) => this.overview.setStatus(s)),
      this.#api.onTicketsChanged((c) => void this.refresh(c.project_ids)),
      this.#api.onOutboxChanged((ops) => this.outbox.apply(ops)),
      this.clock.start(),
      () => this.overview.dispose(),
      () => this.tickets.dispose(),
      () => this.composer.dispose(),
      () => void this.prefs.flush(),
    ];
    this.overview.onslachange = () => void this.refresh();
    void this.overview.load();
    void this.tickets.load();
    void this.outbox.load();
    void this.prefs.load();
    return () => stops.forEach((stop) => stop());
  }

  /**
   * refresh reloads counts, the list and the open ticket after a change.
   * Recorded ops are forgotten once the reload that follows them is in: the
   * thread then has their notes, the header their changes.
   */
  async refresh(projectIds: number[] = []): Promise<void> {
    const done = this.outbox.doneIds();
    const list = this.tickets.mail ? this.unlinked.reload() : this.tickets.reload();
    await Promise.all([this.overview.load(), list, this.selection.reloadOpen(projectIds)]);
    this.outbox.forgetDone(done);
  }

  /** Labels and usernames to suggest in the triage controls: those in use on the tickets at hand. */
  get suggestions(): { labels: string[]; assignees: string[] } {
    const labels = new Set<string>();
    const assignees = new Set<string>();
    const open = this.selection.ticket;
    // The open ticket's project's labels and members, then what the rows use.
    for (const p of this.overview.projects) {
      if (open && p.id !== open.project_id) continue;
      p.labels.forEach((l) => labels.add(l.name));
      p.members.forEach((m) => assignees.add(m.username));
    }
    for (const r of [...this.tickets.rows, ...(open ? [open] : [])]) {
      r.labels.forEach((l) => labels.add(l));
      r.assignees.forEach((a) => assignees.add(a));
    }
    const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
    return { labels: sorted(labels), assignees: sorted(assignees) };
  }

  /** showOutbox puts the outbox in the middle pane; showView a view's tickets. */
  showOutbox(): void {
    this.pane = 'outbox';
    void this.outbox.load();
  }

  /** showReports puts the team's reports in the middle and right panes. */
  showReports(): void {
    this.pane = 'reports';
  }

  async showView(view: string, clearSearch = false): Promise<void> {
    this.pane = 'tickets';
    await this.tickets.setView(view, clearSearch);
    if (this.tickets.mail) {
      this.unlinked.close();
      await this.unlinked.load();
    }
  }

  /** showProject narrows the list and the views' counts to one project (0: all). */
  async showProject(projectId: number): Promise<void> {
    await Promise.all([this.overview.setProject(projectId), this.tickets.setProject(projectId)]);
  }

  /** openTicket shows a ticket in the right pane, leaving the mail without a ticket for a ticket view. */
  async openTicket(key: TicketKey): Promise<void> {
    if (this.pane === 'tickets' && this.tickets.mail) await this.showView(DEFAULT_VIEW);
    await this.selection.open(key);
  }

  /** A view saved from the search box is shown at once, its search out of the box; an edited one shown again. */
  async #viewSaved(view: SavedView, created: boolean): Promise<void> {
    const id = savedViewId(view.id);
    if (created) {
      await Promise.all([this.overview.load(), this.showView(id, true)]);
    } else {
      await Promise.all([this.overview.load(), this.tickets.view === id ? this.tickets.load() : Promise.resolve()]);
    }
  }

  async #viewDeleted(id: number): Promise<void> {
    const shown = this.pane === 'tickets' && this.tickets.view === savedViewId(id);
    await Promise.all([this.overview.load(), shown ? this.showView(DEFAULT_VIEW) : Promise.resolve()]);
  }

  /** send queues the composer's text (at sendAt, or after the undo window) and follows it in the undo bar. */
  async send(sendAt = ''): Promise<OutboxOp | null> {
    const op = await this.composer.send(sendAt);
    if (op) {
      this.outbox.apply([op]);
      this.outbox.watch(op);
    }
    return op;
  }

  /**
   * undoSend takes a reply back and puts its text into the composer: the
   * text typed since is saved first (the Go side puts the reply under it),
   * and the ticket is opened again if the agent moved on.
   */
  async undoSend(op: OutboxOp): Promise<boolean> {
    const key = ticketKey(op);
    if (this.composer.key === key) await this.composer.flush();
    if (!(await this.outbox.undo(op.id))) return false;
    this.composer.restoreFiles(op.id, key);
    await this.#backToDraft(key);
    return true;
  }

  /** decide applies a decision; after Edit the ticket opens with the text in its composer. */
  async decide(op: OutboxOp, decision: Decision): Promise<boolean> {
    const key = ticketKey(op);
    if (decision === 'edit' && this.composer.key === key) await this.composer.flush();
    const ok = await this.outbox.decide(op.id, decision);
    if (ok && decision === 'edit') {
      this.composer.restoreFiles(op.id, key);
      await this.#backToDraft(key);
    }
    return ok;
  }

  /**
   * applyMacro queues a macro's actions on a ticket, all held for the undo
   * window, and follows them together in the undo bar; it gives "" or the
   * sentence of the failure (nothing was queued then).
   */
  async applyMacro(key: TicketKey, name: string): Promise<string> {
    const { project_id, iid } = parseTicketKey(key);
    try {
      const ops = await this.#api.applyMacro(project_id, iid, name);
      this.outbox.apply(ops);
      this.outbox.watchMacro(name, ops);
      return '';
    } catch (err) {
      return `Couldn't apply the macro: ${message(err)}`;
    }
  }

  /**
   * undoMacro takes back every op of the macro the undo bar follows; false
   * when one could not be (it had left: the bar says so). The Go side puts
   * a reply's or note's text back into the draft, so they are taken back
   * from the last to the first: the note's text comes last and the draft
   * ends up an internal note, never a reply that would tell the customer
   * what was meant for the team.
   */
  async undoMacro(): Promise<boolean> {
    const w = this.outbox.watched;
    if (!w || w.macro === '') return false;
    const key = ticketKey(w.op);
    const texts = w.ops.some((op) => op.kind === 'reply' || op.kind === 'note');
    // Text typed since is saved first: the Go side puts the macro's text under it.
    if (texts && this.composer.key === key) await this.composer.flush();
    let ok = true;
    for (const op of [...w.ops].reverse()) {
      if (w.undoneIds.includes(op.id)) continue;
      if (!(await this.outbox.undo(op.id))) ok = false;
    }
    if (texts && this.composer.key === key) await this.composer.reload();
    return ok;
  }

  async #backToDraft(key: TicketKey): Promise<void> {
    if (this.selection.openKey === key && this.composer.key === key && !this.tickets.mail) await this.composer.reload();
    else await this.openTicket(key);
    this.composer.focus();
  }

  /** merge closes a ticket as a duplicate of the one it continues; "" or the sentence of the failure. */
  /** about reads which build this is and where the profile lives (the About dialog). */
  about(): Promise<About> {
    return this.#api.about();
  }

  /** report reads the team's figures for the Reports view; exportReport saves them as CSV where the agent picks. */
  report(projectId: number, from: string, to: string): Promise<Report> {
    return this.#api.getReport(projectId, from, to);
  }

  exportReport(projectId: number, from: string, to: string): Promise<string> {
    return this.#api.exportReport(projectId, from, to);
  }

  async merge(projectId: number, from: number, into: number): Promise<string> {
    try {
      this.outbox.apply([await this.#api.merge(projectId, from, into)]);
      return '';
    } catch (err) {
      return message(err);
    }
  }

  /** triage queues changes of a ticket; it gives "" or the sentence of the failure. */
  async triage(req: TriageRequest): Promise<string> {
    try {
      this.outbox.apply(await this.#api.triage(req));
      return '';
    } catch (err) {
      return message(err);
    }
  }
}
