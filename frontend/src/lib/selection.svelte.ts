// Which row the keyboard cursor is on, which ticket is open, and the open
// ticket's data. The cursor survives reloads: it stays on the same ticket,
// or on the same place in the list when that ticket left it.

import { ticketKey, type Ticket, type TicketKey, type TicketRow } from '../api/types';
import { message } from './errors';

/** The Go side call this store needs. */
export interface TicketApi {
  getTicket(projectId: number, iid: number): Promise<Ticket>;
}

function parseKey(key: TicketKey): { projectId: number; iid: number } {
  const [p, i] = key.split(':');
  return { projectId: Number(p), iid: Number(i) };
}

export class SelectionStore {
  /** The highlighted row (j/k move it). */
  cursor = $state<TicketKey | null>(null);
  /** The ticket shown in the right pane. */
  openKey = $state<TicketKey | null>(null);
  ticket = $state.raw<Ticket | null>(null);
  loading = $state(false);
  error = $state('');

  readonly #api: TicketApi;
  readonly #onOpen: (key: TicketKey) => void;
  #rows: TicketRow[] = [];
  #lastIndex = -1;
  #seq = 0;

  /** onOpen hears of every ticket opened (the composer loads its draft). */
  constructor(api: TicketApi, onOpen: (key: TicketKey) => void = () => {}) {
    this.#api = api;
    this.#onOpen = onOpen;
  }

  /** index is the cursor's position in the list, -1 when not in it. */
  index(rows: TicketRow[] = this.#rows): number {
    const cursor = this.cursor;
    return cursor === null ? -1 : rows.findIndex((r) => ticketKey(r) === cursor);
  }

  /** setRows tells the store the list changed, and keeps the cursor sensible. */
  setRows(rows: TicketRow[]): void {
    this.#rows = rows;
    if (this.cursor === null) return;
    const i = this.index(rows);
    if (i >= 0) {
      this.#lastIndex = i;
      return;
    }
    const row = rows[Math.min(this.#lastIndex, rows.length - 1)];
    this.cursor = row && this.#lastIndex >= 0 ? ticketKey(row) : null;
  }

  /** select puts the cursor on a row without opening it. */
  select(key: TicketKey | null): void {
    this.cursor = key;
    this.#lastIndex = this.index();
  }

  /** move moves the cursor by delta rows; from nowhere, j starts at the top and k at the bottom. */
  move(delta: number): void {
    const rows = this.#rows;
    if (rows.length === 0) return;
    const i = this.index();
    const next = i < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, i + delta));
    const row = rows[next];
    if (row) this.select(ticketKey(row));
  }

  /** open shows a ticket (the cursor's by default) in the right pane. */
  open(key: TicketKey | null = this.cursor): Promise<void> {
    if (key === null) return Promise.resolve();
    this.select(key);
    if (this.openKey !== key) {
      this.openKey = key;
      this.ticket = null;
      this.#onOpen(key);
    }
    return this.#fetch(key);
  }

  /** reloadOpen refetches the open ticket, keeping the current one on screen meanwhile. */
  reloadOpen(projectIds: number[] = []): Promise<void> {
    const key = this.openKey;
    if (key === null) return Promise.resolve();
    if (projectIds.length > 0 && !projectIds.includes(parseKey(key).projectId)) return Promise.resolve();
    return this.#fetch(key);
  }

  async #fetch(key: TicketKey): Promise<void> {
    const seq = ++this.#seq;
    const { projectId, iid } = parseKey(key);
    this.loading = true;
    try {
      const t = await this.#api.getTicket(projectId, iid);
      if (seq !== this.#seq) return;
      this.ticket = t;
      this.error = '';
    } catch (err) {
      if (seq !== this.#seq) return;
      this.error = message(err);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}
