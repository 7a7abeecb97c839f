// The ticket list: the query (view, project, search, order) and its rows,
// served in pages by a PagedList. A new query keeps the old rows on screen
// until its first page arrives; a reload after a sync keeps the rows on
// screen until their fresh copies arrive, so the list never blanks or jumps.
// A search the Go side cannot read leaves the old rows and says why.

import {
  ticketKey,
  UNLINKED_VIEW,
  type TicketFilter,
  type TicketPage,
  type TicketQuery,
  type TicketRow,
  type TicketSort,
} from '../api/types';
import { message } from './errors';
import { PagedList, type ListChange } from './paged-list.svelte';

/** The Go side calls this store needs. */
export interface TicketsApi {
  listTickets(q: TicketQuery): Promise<TicketPage>;
  markRead(projectId: number, iid: number, read: boolean): Promise<void>;
}

export const DEFAULT_VIEW = 'open';
export const DEFAULT_SORT: TicketSort = 'updated';
export const SEARCH_DEBOUNCE_MS = 150;

/** The orders the list offers, as the sort menu names them. */
export const SORTS: ReadonlyArray<{ id: TicketSort; label: string }> = [
  { id: 'updated', label: 'Latest activity' },
  { id: 'created', label: 'Newest' },
  { id: 'oldest', label: 'Oldest' },
  { id: 'waiting', label: 'Waiting longest' },
  { id: 'due', label: 'SLA due first' },
];

/** countLabel is the list's count: "1 ticket", "12,345 tickets", "1,000+ tickets" when the Go side stopped counting. */
export function countLabel(total: number, capped: boolean, noun = 'ticket'): string {
  const n = `${total.toLocaleString('en-US')}${capped ? '+' : ''}`;
  return `${n} ${total === 1 && !capped ? noun : `${noun}s`}`;
}

export class TicketsStore {
  view = $state(DEFAULT_VIEW);
  projectId = $state(0);
  /** The search the list was asked for (trimmed). */
  search = $state('');
  sort = $state<TicketSort>(DEFAULT_SORT);
  /** What the search box holds while the agent types. */
  input = $state('');
  /** The query of the rows on screen: a failed search leaves the older one. */
  shown = $state.raw<TicketFilter>({ view: DEFAULT_VIEW, project_id: 0, search: '', sort: DEFAULT_SORT });
  /** Why the Go side refused the search (shown under the box); "" when it read. */
  searchError = $state('');
  /** The sentence of a failed action on a row (mark unread), "" when none. */
  actionError = $state('');

  readonly list = new PagedList<TicketRow>(ticketKey);
  readonly #api: TicketsApi;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Loads asked for and not answered yet. */
  #loads = 0;

  constructor(api: TicketsApi) {
    this.#api = api;
  }

  /** The view lists mail without a ticket, not tickets. */
  get mail(): boolean {
    return this.view === UNLINKED_VIEW;
  }

  get filter(): TicketFilter {
    return { view: this.view, project_id: this.projectId, search: this.search, sort: this.sort };
  }

  get total(): number {
    return this.list.total;
  }

  get capped(): boolean {
    return this.list.capped;
  }

  get loaded(): boolean {
    return this.list.loaded;
  }

  get loading(): boolean {
    return this.list.loading;
  }

  /** The sentence of the last failed load (not a refused search), "" when it worked. */
  get error(): string {
    return this.list.error;
  }

  /** The rows fetched so far, in list order: the cache, not the whole list. */
  get rows(): TicketRow[] {
    return this.list.loadedRows;
  }

  subscribe(fn: (change: ListChange) => void): () => void {
    return this.list.subscribe(fn);
  }

  /** setView shows a view; with clearSearch, without the search the box holds. */
  setView(view: string, clearSearch = false): Promise<void> {
    this.view = view;
    if (clearSearch) {
      clearTimeout(this.#timer);
      this.input = '';
      this.search = '';
      this.searchError = '';
    }
    return this.load();
  }

  setProject(projectId: number): Promise<void> {
    this.projectId = projectId;
    return this.load();
  }

  setSort(sort: TicketSort): Promise<void> {
    if (sort === this.sort) return Promise.resolve();
    this.sort = sort;
    return this.load();
  }

  /** setSearch reloads after the agent paused typing for debounceMs; typing never waits for an answer. */
  setSearch(text: string, debounceMs = SEARCH_DEBOUNCE_MS): void {
    this.input = text;
    clearTimeout(this.#timer);
    const search = text.trim();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (search === this.search) return;
      this.search = search;
      void this.load();
    }, debounceMs);
  }

  /** clearSearch empties the box and shows the view without a search. */
  clearSearch(): Promise<void> {
    clearTimeout(this.#timer);
    this.input = '';
    this.searchError = '';
    if (this.search === '') return Promise.resolve();
    this.search = '';
    return this.load();
  }

  /** load asks for the first page of the current query; answers of older queries are dropped. */
  async load(): Promise<void> {
    if (this.mail) return;
    const q = this.filter;
    this.#loads++;
    try {
      const err = await this.list.reset((offset, limit) => this.#api.listTickets({ ...q, offset, limit }));
      if (err === null) return; // a newer query took over
      if (err === '') {
        this.shown = q;
        this.searchError = '';
      } else if (q.search !== '') {
        this.searchError = err;
      } else {
        this.list.error = err;
      }
    } finally {
      this.#loads--;
    }
  }

  /** reload fetches the rows on screen again (after a sync), keeping them meanwhile. */
  reload(): Promise<void> {
    if (this.mail) return Promise.resolve();
    if (this.#loads > 0 || !this.list.loaded) return this.load();
    return this.list.reload();
  }

  /**
   * markRead marks a ticket read (opened) or unread, showing it at once;
   * a failure puts the row back and says why.
   */
  async markRead(t: { project_id: number; iid: number }, read: boolean): Promise<boolean> {
    const key = ticketKey(t);
    const before = this.list.rowAt(this.list.indexOf(key))?.unread;
    this.list.patch(key, (r) => ({ ...r, unread: !read }));
    try {
      await this.#api.markRead(t.project_id, t.iid, read);
      return true;
    } catch (err) {
      if (before !== undefined) this.list.patch(key, (r) => ({ ...r, unread: before }));
      this.actionError = `Couldn't mark #${t.iid} ${read ? 'read' : 'unread'}: ${message(err)}`;
      return false;
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}
