// The only module of the page that talks to the Go side. It re-exports the
// bound methods with the page's own types, turns the strings a Go error
// rejects with into Error values, and wraps runtime events with types.

import * as App from '../../wailsjs/go/app/App';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type {
  Overview,
  SyncStatus,
  Ticket,
  TicketQuery,
  TicketRow,
  TicketsChanged,
} from './types';

export * from './types';

/** An error the Go side returned; message is the sentence it sent. */
export class BackendError extends Error {
  /** The bound method that failed, e.g. "ListTickets". */
  readonly method: string;

  constructor(method: string, message: string) {
    super(message);
    this.name = 'BackendError';
    this.method = method;
  }
}

/** toError makes any rejection value a proper Error with a readable message. */
export function toError(method: string, reason: unknown): Error {
  if (reason instanceof Error) return reason;
  if (typeof reason === 'string') {
    const text = reason.trim();
    return new BackendError(method, text === '' ? `${method} failed.` : text);
  }
  if (reason !== null && typeof reason === 'object' && 'message' in reason) {
    const msg = (reason as { message: unknown }).message;
    if (typeof msg === 'string' && msg.trim() !== '') return new BackendError(method, msg.trim());
  }
  return new BackendError(method, `${method} failed.`);
}

async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (reason) {
    throw toError(method, reason);
  }
}

// Go encodes nil slices as null and the generated types do not say so: the
// normalizers below give the rest of the page arrays it can trust.

function normalizeRow<T extends TicketRow>(row: T): T {
  return { ...row, labels: row.labels ?? [], assignees: row.assignees ?? [] };
}

function normalizeTicket(t: Ticket): Ticket {
  return { ...normalizeRow(t), thread: t.thread ?? [] };
}

function normalizeOverview(o: Overview): Overview {
  return { ...o, projects: o.projects ?? [], views: o.views ?? [] };
}

/** Views with counts, projects and the sync status. */
export function getOverview(): Promise<Overview> {
  return call('Overview', async () => {
    const o: Overview = await App.Overview();
    return normalizeOverview(o);
  });
}

/** The rows of the ticket list for a view, project and search text. */
export function listTickets(q: TicketQuery): Promise<TicketRow[]> {
  return call('ListTickets', async () => {
    const rows: TicketRow[] | null = await App.ListTickets({ ...q });
    return (rows ?? []).map(normalizeRow);
  });
}

/** One ticket with its thread. */
export function getTicket(projectId: number, iid: number): Promise<Ticket> {
  return call('GetTicket', async () => {
    const t: Ticket = await App.GetTicket(projectId, iid);
    return normalizeTicket(t);
  });
}

/** Asks the Go side to sync now; progress arrives as onSyncState events. */
export function syncNow(): Promise<void> {
  return call('SyncNow', async (): Promise<void> => App.SyncNow());
}

/** Event names, as app/dto.go declares them. */
export const EVENT_SYNC_STATE = 'sync:state';
export const EVENT_TICKETS_CHANGED = 'tickets:changed';

/** Calls cb with every sync status the Go side emits. Returns an unsubscribe function. */
export function onSyncState(cb: (status: SyncStatus) => void): () => void {
  return EventsOn(EVENT_SYNC_STATE, (payload: SyncStatus) => cb(payload));
}

/** Calls cb after a sync changed tickets. Returns an unsubscribe function. */
export function onTicketsChanged(cb: (change: TicketsChanged) => void): () => void {
  return EventsOn(EVENT_TICKETS_CHANGED, (payload: TicketsChanged | null) => {
    cb({
      project_ids: payload?.project_ids ?? [],
      count: payload?.count ?? 0,
    });
  });
}
