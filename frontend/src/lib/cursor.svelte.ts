// The keyboard cursor of a paged list (the tickets, the mail without a
// ticket): the row j and k move to, by key. It moves across pages, fetching
// the one it moves into, and survives reloads: it stays on the same row, or
// on the same place in the list when that row left it.

import type { ListChange } from './paged-list.svelte';

/** The list a cursor moves in (a PagedList). */
export interface CursorList<T> {
  readonly total: number;
  readonly loaded: boolean;
  rowAt(i: number): T | undefined;
  indexOf(key: string): number;
  /** The row at i, its page fetched when it is not here. */
  row(i: number): Promise<T | undefined>;
  subscribe(fn: (change: ListChange) => void): () => void;
}

export class Cursor<T> {
  /** The key of the row the cursor is on; null when none. */
  key = $state<string | null>(null);

  readonly #keyOf: (row: T) => string;
  #list: CursorList<T> | null = null;
  #lastIndex = -1;
  /** Where a move waiting for its page goes; further moves count from there. */
  #target: number | null = null;
  #moveSeq = 0;

  constructor(keyOf: (row: T) => string) {
    this.#keyOf = keyOf;
  }

  /** follow makes the cursor move in list and keeps it sensible as the list changes; it returns the unsubscribe. */
  follow(list: CursorList<T>): () => void {
    this.#list = list;
    return list.subscribe(() => this.#listChanged());
  }

  /** index is the cursor's place in the list, -1 when not known. */
  index(): number {
    const key = this.key;
    if (key === null || !this.#list) return -1;
    const i = this.#list.indexOf(key);
    return i >= 0 ? i : this.#lastIndex;
  }

  /** select puts the cursor on a row by key (null: nowhere). */
  select(key: string | null): void {
    this.#target = null;
    this.#moveSeq++;
    this.key = key;
    this.#lastIndex = key === null || !this.#list ? -1 : this.#list.indexOf(key);
  }

  /**
   * move moves the cursor by delta rows; from nowhere, a step down starts
   * at the top and a step up at the bottom. A row whose page is not here is
   * fetched first; it gives the row the cursor landed on.
   */
  async move(delta: number): Promise<T | undefined> {
    const list = this.#list;
    if (!list || list.total === 0) return undefined;
    const from = this.#target ?? this.index();
    const next = from < 0 ? (delta > 0 ? 0 : list.total - 1) : Math.min(list.total - 1, Math.max(0, from + delta));
    const here = list.rowAt(next);
    if (here !== undefined) {
      this.select(this.#keyOf(here));
      return here;
    }
    this.#target = next;
    const seq = ++this.#moveSeq;
    const row = await list.row(next);
    if (seq !== this.#moveSeq) return undefined;
    this.#target = null;
    if (row === undefined) return undefined;
    this.key = this.#keyOf(row);
    this.#lastIndex = next;
    return row;
  }

  // The cursor's row is looked for in the rows at hand; when it is gone
  // and the rows at its place are here, the cursor takes the row now there.
  #listChanged(): void {
    const list = this.#list;
    if (!list || this.key === null) return;
    const i = list.indexOf(this.key);
    if (i >= 0) {
      this.#lastIndex = i;
      return;
    }
    if (list.loaded && list.total === 0) {
      this.key = null;
      this.#lastIndex = -1;
      return;
    }
    if (this.#lastIndex < 0) return;
    const row = list.rowAt(Math.min(this.#lastIndex, list.total - 1));
    if (row !== undefined) this.key = this.#keyOf(row);
  }
}
