// Which row the keyboard cursor is on (lib/cursor: it moves across the
// ticket list's pages and survives reloads), which ticket is open, and the
// open ticket's data.

import { parseTicketKey, ticketKey, type Ticket, type TicketKey, type TicketRow } from '../api/types';
import { message } from './errors';
import { Cursor, type CursorList } from './cursor.svelte';

/** The Go side call this store needs. */
export interface TicketApi {
  getTicket(projectId: number, iid: number): Promise<Ticket>;
}

export class SelectionStore {
  /** The ticket shown in the right pane. */
  openKey = $state<TicketKey | null>(null);
  ticket = $state.raw<Ticket | null>(null);
  loading = $state(false);
  error = $state('');

  readonly #api: TicketApi;
  readonly #onOpen: (key: TicketKey, changed: boolean) => void;
  readonly #cursor = new Cursor<TicketRow>(ticketKey);
  #seq = 0;

  /**
   * onOpen hears of every ticket opened, changed false when it was open
   * already (the composer loads the draft of a newly opened one; the row is
   * marked read either way).
   */
  constructor(api: TicketApi, onOpen: (key: TicketKey, changed: boolean) => void = () => {}) {
    this.#api = api;
    this.#onOpen = onOpen;
  }

  /** The highlighted row (j/k move it). */
  get cursor(): TicketKey | null {
    return this.#cursor.key as TicketKey | null;
  }

  /** follow makes the cursor move in the ticket list and keeps it sensible as the list changes; it returns the unsubscribe. */
  follow(list: CursorList<TicketRow>): () => void {
    return this.#cursor.follow(list);
  }

  /** index is the cursor's position in the list, -1 when not known. */
  index(): number {
    return this.#cursor.index();
  }

  /** select puts the cursor on a row without opening it. */
  select(key: TicketKey | null): void {
    this.#cursor.select(key);
  }

  /** move moves the cursor by delta rows across pages; from nowhere, j starts at the top and k at the bottom. */
  async move(delta: number): Promise<void> {
    await this.#cursor.move(delta);
  }

  /** open shows a ticket (the cursor's by default) in the right pane. */
  open(key: TicketKey | null = this.cursor): Promise<void> {
    if (key === null) return Promise.resolve();
    this.select(key);
    const changed = this.openKey !== key;
    if (changed) {
      this.openKey = key;
      this.ticket = null;
    }
    this.#onOpen(key, changed);
    return this.#fetch(key);
  }

  /** reloadOpen refetches the open ticket, keeping the current one on screen meanwhile. */
  reloadOpen(projectIds: number[] = []): Promise<void> {
    const key = this.openKey;
    if (key === null) return Promise.resolve();
    if (projectIds.length > 0 && !projectIds.includes(parseTicketKey(key).project_id)) return Promise.resolve();
    return this.#fetch(key);
  }

  async #fetch(key: TicketKey): Promise<void> {
    const seq = ++this.#seq;
    const { project_id: projectId, iid } = parseTicketKey(key);
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
