// The ticket list: the query (view, project, search) and the rows it gives.
// Reloads keep the old rows on screen until the new ones arrive, so the list
// never blanks or jumps while a sync lands.

import { ticketKey, type TicketQuery, type TicketRow } from '../api/types';
import { message } from './errors';

/** The Go side call this store needs. */
export interface TicketsApi {
  listTickets(q: TicketQuery): Promise<TicketRow[]>;
}

export const DEFAULT_VIEW = 'open';

/** uniqueRows drops repeats of a ticket: the list is keyed by ticket. */
function uniqueRows(rows: TicketRow[]): TicketRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = ticketKey(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
export const SEARCH_DEBOUNCE_MS = 150;

export class TicketsStore {
  rows = $state.raw<TicketRow[]>([]);
  view = $state(DEFAULT_VIEW);
  projectId = $state(0);
  /** The search text the rows were asked for (trimmed). */
  search = $state('');
  /** A request is in flight. */
  loading = $state(false);
  /** One load succeeded: an empty list then means "no tickets", not "not yet". */
  loaded = $state(false);
  /** The sentence of the last failed load, "" when it worked. */
  error = $state('');

  readonly #api: TicketsApi;
  readonly #onRows: (rows: TicketRow[]) => void;
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: TicketsApi, onRows: (rows: TicketRow[]) => void = () => {}) {
    this.#api = api;
    this.#onRows = onRows;
  }

  get query(): TicketQuery {
    return { view: this.view, project_id: this.projectId, search: this.search };
  }

  setView(view: string): Promise<void> {
    this.view = view;
    return this.load();
  }

  setProject(projectId: number): Promise<void> {
    this.projectId = projectId;
    return this.load();
  }

  /** setSearch reloads after the user paused typing for debounceMs. */
  setSearch(text: string, debounceMs = SEARCH_DEBOUNCE_MS): void {
    clearTimeout(this.#timer);
    const search = text.trim();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (search === this.search) return;
      this.search = search;
      void this.load();
    }, debounceMs);
  }

  /** load asks for the rows of the current query; older answers are dropped. */
  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const rows = uniqueRows(await this.#api.listTickets(this.query));
      if (seq !== this.#seq) return;
      this.rows = rows;
      this.loaded = true;
      this.error = '';
      this.#onRows(rows);
    } catch (err) {
      if (seq !== this.#seq) return;
      this.error = message(err);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}
