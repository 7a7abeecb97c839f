// Test data and a fake Go side for unit tests.

import type { Api } from '../lib/app-state.svelte';
import type { Overview, SyncStatus, Ticket, TicketQuery, TicketRow, TicketsChanged } from '../api/types';

export const NOW = Date.parse('2024-06-15T12:00:00Z');

export function row(iid: number, over: Partial<TicketRow> = {}): TicketRow {
  return {
    project_id: 7,
    project: 'acme/support',
    iid,
    title: `Ticket number ${iid}`,
    state: 'opened',
    customer: `customer${iid}@example.com`,
    labels: [],
    assignees: [],
    snippet: `Snippet of ticket ${iid}`,
    needs_reply: false,
    created_at: '2024-06-15T10:00:00Z',
    updated_at: '2024-06-15T11:00:00Z',
    last_activity_at: '2024-06-15T11:00:00Z',
    ...over,
  };
}

export function ticket(iid: number, over: Partial<Ticket> = {}): Ticket {
  return {
    ...row(iid),
    description: `Hello, I need help with ${iid}.`,
    web_url: `https://gitlab.example.com/acme/support/-/issues/${iid}`,
    confidential: true,
    closed_at: '',
    thread: [],
    ...over,
  };
}

export function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    syncing: false,
    online: true,
    last_sync_at: '2024-06-15T11:58:00Z',
    last_error: '',
    demo: false,
    has_account: true,
    ...over,
  };
}

export function overview(over: Partial<Overview> = {}): Overview {
  return {
    projects: [{ id: 7, path: 'acme/support', name: 'Support' }],
    views: [
      { id: 'needs_reply', name: 'Needs reply', count: 2 },
      { id: 'unassigned', name: 'Unassigned', count: 1 },
      { id: 'open', name: 'All open', count: 3 },
      { id: 'closed', name: 'Closed', count: 4 },
      { id: 'all', name: 'All', count: 7 },
    ],
    status: status(),
    ...over,
  };
}

/** A fake Go side whose answers tests set, recording the calls it got. */
export class FakeApi implements Api {
  overviewResult: Overview | Error = overview();
  rows: TicketRow[] | Error = [row(1), row(2), row(3)];
  tickets = new Map<number, Ticket | Error>();
  queries: TicketQuery[] = [];
  opened: Array<[number, number]> = [];
  syncCalls = 0;
  #syncListeners = new Set<(s: SyncStatus) => void>();
  #changeListeners = new Set<(c: TicketsChanged) => void>();

  async getOverview(): Promise<Overview> {
    if (this.overviewResult instanceof Error) throw this.overviewResult;
    return this.overviewResult;
  }

  async listTickets(q: TicketQuery): Promise<TicketRow[]> {
    this.queries.push({ ...q });
    if (this.rows instanceof Error) throw this.rows;
    return this.rows;
  }

  async getTicket(projectId: number, iid: number): Promise<Ticket> {
    this.opened.push([projectId, iid]);
    const t = this.tickets.get(iid) ?? ticket(iid);
    if (t instanceof Error) throw t;
    return t;
  }

  async syncNow(): Promise<void> {
    this.syncCalls++;
  }

  onSyncState(cb: (s: SyncStatus) => void): () => void {
    this.#syncListeners.add(cb);
    return () => this.#syncListeners.delete(cb);
  }

  onTicketsChanged(cb: (c: TicketsChanged) => void): () => void {
    this.#changeListeners.add(cb);
    return () => this.#changeListeners.delete(cb);
  }

  emitSyncState(s: SyncStatus): void {
    this.#syncListeners.forEach((cb) => cb(s));
  }

  emitTicketsChanged(c: TicketsChanged): void {
    this.#changeListeners.forEach((cb) => cb(c));
  }

  get listenerCount(): number {
    return this.#syncListeners.size + this.#changeListeners.size;
  }
}
