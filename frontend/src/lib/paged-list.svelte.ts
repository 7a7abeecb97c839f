// A long list the Go side serves in pages (the tickets of a view, the mail
// without a ticket): it knows how many rows there are, keeps the pages
// fetched so far in a cache keyed by page, and fetches the pages around
// what is on screen. The virtual list asks for rows by index; an index whose
// page has not arrived yet is a placeholder.
//
// Every answer belongs to a generation: a new source (reset) or a reload
// starts one, and answers of an older generation are dropped. A reset keeps
// the old rows on screen until the new source's first page arrives; a
// reload keeps the pages on screen until their fresh copies arrive, so a
// sync never blanks the list.

import { message } from './errors';

/** One page as the Go side gives it. */
export interface Page<T> {
  rows: readonly T[];
  /** Rows matching in all. */
  total: number;
  /** The Go side stopped counting at total: there may be more. */
  capped?: boolean;
}

/** Fetches the rows [offset, offset+limit) of one source (a query). */
export type PageFetch<T> = (offset: number, limit: number) => Promise<Page<T>>;

/** What changed: a new source replaced the rows, or rows arrived or changed. */
export type ListChange = 'reset' | 'rows';

export interface PagedListOptions {
  /** Rows per page. */
  pageSize?: number;
  /** Pages kept; those farthest from the screen are dropped first. */
  maxPages?: number;
  /** Rows beyond each end of the screen fetched ahead of a scroll. */
  prefetch?: number;
}

export const PAGE_SIZE = 200;
export const MAX_PAGES = 30;
export const PREFETCH_ROWS = 60;
/** The most rows rowsBetween gives: as many as one bulk change takes. */
export const MAX_RANGE = 1000;

export class PagedList<T> {
  /** Rows in the list, loaded or not. */
  total = $state(0);
  capped = $state(false);
  /** A first page arrived: total 0 then means "empty", not "not yet". */
  loaded = $state(false);
  /** A fetch is in flight. */
  loading = $state(false);
  /** A new source's first page is awaited: the rows on screen are the old source's. */
  resetting = $state(false);
  /** The sentence of the last failed fetch, "" after one that worked. */
  error = $state('');
  /** Counts the resets that landed: the list scrolls back to the top. */
  resets = $state(0);
  /** Counts every change of the rows: the list keeps the rows on screen in place. */
  version = $state(0);

  readonly pageSize: number;
  readonly #maxPages: number;
  readonly #prefetch: number;
  readonly #key: (row: T) => string;
  #pages = $state.raw<ReadonlyMap<number, readonly T[]>>(new Map());
  /** The generation each cached page was fetched in. */
  #fresh = new Map<number, number>();
  #inflight = new Map<number, { gen: number; done: Promise<void> }>();
  #fetch: PageFetch<T> | null = null;
  /** A reset whose first page has not arrived. */
  #pending: PageFetch<T> | null = null;
  #gen = 0;
  #resetSeq = 0;
  #window = { start: 0, end: 0 };
  #listeners = new Set<(change: ListChange) => void>();
  /** Where each row of a page is, by key: built once per page that arrives, the first time it is asked. */
  #places = new WeakMap<readonly T[], Map<string, number>>();

  constructor(key: (row: T) => string, opts: PagedListOptions = {}) {
    this.#key = key;
    this.pageSize = Math.max(1, opts.pageSize ?? PAGE_SIZE);
    this.#maxPages = Math.max(2, opts.maxPages ?? MAX_PAGES);
    this.#prefetch = Math.max(0, opts.prefetch ?? PREFETCH_ROWS);
  }

  /** subscribe calls fn after every change; it returns the unsubscribe. */
  subscribe(fn: (change: ListChange) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** rowAt is the row at index i, or undefined while its page is not here. */
  rowAt(i: number): T | undefined {
    return this.#pages.get(Math.floor(i / this.pageSize))?.[i % this.pageSize];
  }

  /** The rows fetched so far, in list order (not the whole list). */
  get loadedRows(): T[] {
    const pages = this.#pages;
    return [...pages.keys()].sort((a, b) => a - b).flatMap((p) => pages.get(p) ?? []);
  }

  /** indexOf is the index of the row with key among the cached pages (fresh ones first), -1 when none has it. */
  indexOf(key: string): number {
    let stale = -1;
    for (const [p, rows] of this.#pages) {
      const i = this.#placesOf(rows).get(key);
      if (i === undefined) continue;
      if (this.#fresh.get(p) === this.#gen) return p * this.pageSize + i;
      if (stale < 0) stale = p * this.pageSize + i;
    }
    return stale;
  }

  /**
   * reset switches to a new source. The old rows stay until its first page
   * arrives; a later reset drops this one's answer. It gives "" when the
   * page landed, null when a later reset took over, or the sentence of a
   * failure: the old source then stays, so the rows on screen keep
   * scrolling.
   */
  async reset(fetch: PageFetch<T>): Promise<string | null> {
    const seq = ++this.#resetSeq;
    this.#pending = fetch;
    this.#setLoading();
    try {
      const page = await fetch(0, this.pageSize);
      if (seq !== this.#resetSeq) return null;
      this.#gen++;
      this.#fetch = fetch;
      this.#pending = null;
      this.#inflight.clear();
      this.#fresh = new Map([[0, this.#gen]]);
      this.#window = { start: 0, end: 0 };
      this.#pages = new Map([[0, page.rows]]);
      this.#setTotal(page);
      this.loaded = true;
      this.error = '';
      this.resets++;
      this.#emit('reset');
      return '';
    } catch (err) {
      if (seq !== this.#resetSeq) return null;
      this.#pending = null;
      return message(err);
    } finally {
      if (seq === this.#resetSeq) this.#setLoading();
    }
  }

  /**
   * reload fetches the pages on screen again (after a sync). They stay on
   * screen until their fresh copies arrive; pages off screen are dropped
   * and fetched again when scrolled to. A reset under way is asked again
   * instead: its answer may predate the change.
   */
  async reload(): Promise<void> {
    if (this.#pending) {
      const err = await this.reset(this.#pending);
      if (err) this.error = err;
      return;
    }
    if (!this.#fetch) return;
    this.#gen++;
    this.#inflight.clear();
    const keep = this.#pagesAround(this.#window.start, this.#window.end);
    const pages = new Map([...this.#pages].filter(([p]) => p >= keep.from && p <= keep.to));
    for (const p of this.#fresh.keys()) if (!pages.has(p)) this.#fresh.delete(p);
    if (pages.size !== this.#pages.size) this.#pages = pages;
    await this.ensure(this.#window.start, this.#window.end);
  }

  /**
   * ensure makes sure the rows [start, end) the screen shows, and some
   * around them, are here or on their way. It resolves when they arrived.
   */
  ensure(start: number, end: number): Promise<void> {
    this.#window = { start: Math.max(0, start), end: Math.max(start, end) };
    if (!this.#fetch) return Promise.resolve();
    const { from, to } = this.#pagesAround(this.#window.start, this.#window.end);
    const waits: Promise<void>[] = [];
    for (let p = from; p <= to; p++) {
      if (this.#fresh.get(p) !== this.#gen) waits.push(this.#load(p));
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** row gives the row at index i, fetching its page when it is not here. */
  async row(i: number): Promise<T | undefined> {
    if (i < 0 || i >= this.total) return undefined;
    const p = Math.floor(i / this.pageSize);
    if (!this.#pages.has(p) && this.#fetch) await this.#load(p);
    return this.rowAt(i);
  }

  /** rowsBetween gives the rows from index a to b, both included (either order), fetching missing pages; at most MAX_RANGE. */
  async rowsBetween(a: number, b: number): Promise<T[]> {
    const lo = Math.max(0, Math.min(a, b));
    const hi = Math.min(this.total - 1, Math.max(a, b), lo + MAX_RANGE - 1);
    if (hi < lo) return [];
    const missing: Promise<void>[] = [];
    for (let p = Math.floor(lo / this.pageSize); p <= Math.floor(hi / this.pageSize); p++) {
      if (!this.#pages.has(p) && this.#fetch) missing.push(this.#load(p));
    }
    await Promise.all(missing);
    const out: T[] = [];
    for (let i = lo; i <= hi; i++) {
      const r = this.rowAt(i);
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  /** patch replaces the cached copies of the row with key by fn's result (an optimistic change). */
  patch(key: string, fn: (row: T) => T): void {
    let changed = false;
    const pages = new Map(this.#pages);
    for (const [p, rows] of pages) {
      if (!this.#placesOf(rows).has(key)) continue;
      pages.set(
        p,
        rows.map((r) => (this.#key(r) === key ? fn(r) : r)),
      );
      changed = true;
    }
    if (!changed) return;
    this.#pages = pages;
    this.#emit('rows');
  }

  /** The index in a page of each of its rows, by key (the first, should a row be there twice). */
  #placesOf(rows: readonly T[]): Map<string, number> {
    let places = this.#places.get(rows);
    if (!places) {
      places = new Map();
      for (let i = rows.length - 1; i >= 0; i--) places.set(this.#key(rows[i]!), i);
      this.#places.set(rows, places);
    }
    return places;
  }

  /** The pages a window needs, with the rows fetched ahead, within the list. */
  #pagesAround(start: number, end: number): { from: number; to: number } {
    const last = Math.max(0, Math.ceil(this.total / this.pageSize) - 1);
    const clamp = (p: number) => Math.min(last, Math.max(0, p));
    return {
      from: clamp(Math.floor((start - this.#prefetch) / this.pageSize)),
      to: clamp(Math.floor((Math.max(start, end - 1) + this.#prefetch) / this.pageSize)),
    };
  }

  #load(p: number): Promise<void> {
    const gen = this.#gen;
    const running = this.#inflight.get(p);
    if (running && running.gen === gen) return running.done;
    const fetch = this.#fetch;
    if (!fetch) return Promise.resolve();
    const entry = { gen, done: Promise.resolve() };
    this.#inflight.set(p, entry);
    this.#setLoading();
    entry.done = this.#run(p, fetch, entry);
    return entry.done;
  }

  async #run(p: number, fetch: PageFetch<T>, entry: { gen: number }): Promise<void> {
    try {
      const page = await fetch(p * this.pageSize, this.pageSize);
      if (entry.gen === this.#gen) this.#apply(p, page, entry.gen);
    } catch (err) {
      if (entry.gen === this.#gen) this.error = message(err);
    } finally {
      if (this.#inflight.get(p) === entry) this.#inflight.delete(p);
      this.#setLoading();
    }
  }

  #apply(p: number, page: Page<T>, gen: number): void {
    const pages = new Map(this.#pages);
    pages.set(p, page.rows);
    this.#fresh.set(p, gen);
    this.#setTotal(page);
    // The list may have shrunk: pages past its end go.
    const last = Math.ceil(this.total / this.pageSize) - 1;
    for (const q of [...pages.keys()]) {
      if (q > last) {
        pages.delete(q);
        this.#fresh.delete(q);
      }
    }
    this.#evict(pages);
    this.#pages = pages;
    this.loaded = true;
    this.error = '';
    this.#emit('rows');
  }

  /** #evict drops the pages farthest from the screen beyond maxPages. */
  #evict(pages: Map<number, readonly T[]>): void {
    if (pages.size <= this.#maxPages) return;
    const centre = (this.#window.start + this.#window.end) / 2 / this.pageSize;
    const byDistance = [...pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const p of byDistance.slice(0, pages.size - this.#maxPages)) {
      pages.delete(p);
      this.#fresh.delete(p);
    }
  }

  #setTotal(page: Page<T>): void {
    this.total = Math.max(0, Math.floor(page.total));
    this.capped = page.capped === true;
  }

  #setLoading(): void {
    this.resetting = this.#pending !== null;
    this.loading = this.resetting || this.#inflight.size > 0;
  }

  #emit(change: ListChange): void {
    this.version++;
    for (const fn of this.#listeners) fn(change);
  }
}
