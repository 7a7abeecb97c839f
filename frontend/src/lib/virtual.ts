// The arithmetic of a virtual list: rows of one fixed height, of which only
// those on screen (and a few around them) exist in the page. Pure functions
// of the scroll position, so they are tested without a browser.

/** Rows [start, end) to render, and the rows [first, last) actually on screen. */
export interface Window {
  start: number;
  end: number;
  first: number;
  last: number;
}

/** visibleRange is what a viewport of height px scrolled to scrollTop shows of count rows of rowHeight px. */
export function visibleRange(scrollTop: number, height: number, rowHeight: number, count: number, overscan: number): Window {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, first: 0, last: 0 };
  const first = Math.min(count - 1, Math.max(0, Math.floor(scrollTop / rowHeight)));
  const last = Math.min(count, Math.max(first + 1, Math.ceil((scrollTop + Math.max(0, height)) / rowHeight)));
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan), first, last };
}

/** poolSize is how many rows a window of visibleRange can hold at most: one slot each. */
export function poolSize(height: number, rowHeight: number, overscan: number): number {
  if (rowHeight <= 0) return 1;
  return Math.ceil(Math.max(0, height) / rowHeight) + 1 + 2 * Math.max(0, overscan);
}

/**
 * slots says which row each of the list's elements shows: row i goes to
 * slot i % pool, so a scroll hands the slots of the rows that left to
 * those that came and the others keep theirs. The window is widened to
 * the pool (or to the whole of a shorter list): an empty slot would move
 * with every scroll, its element dropped on one side and built on the
 * other. -1 would be a slot with no row, should a window outgrow its pool.
 */
export function slots(win: Window, pool: number, count: number): number[] {
  const out = new Array<number>(Math.max(0, Math.min(pool, count))).fill(-1);
  const end = Math.min(count, Math.max(win.end, win.start + pool));
  const start = Math.max(0, Math.min(win.start, end - pool));
  for (let i = start; i < end; i++) out[i % pool] = i;
  return out;
}

/**
 * revealTop is the scroll position that brings row index fully into a
 * viewport of height px, moving as little as it can; null when it is in
 * view already.
 */
export function revealTop(index: number, scrollTop: number, height: number, rowHeight: number): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + height) return Math.max(0, bottom - height);
  return null;
}

/**
 * anchorShift says by how many rows the rows on screen moved after the
 * list changed: keys are the rows that were on screen from index first,
 * indexOf where each is now. Most rows move together (a ticket arrived
 * above them); one that moved on its own (an updated ticket going to the
 * top) is outvoted. 0 when no row is known any more or no shift has
 * the most of them.
 */
export function anchorShift(keys: readonly string[], first: number, indexOf: (key: string) => number): number {
  const votes = new Map<number, number>();
  let found = 0;
  keys.forEach((key, i) => {
    const now = indexOf(key);
    if (now < 0) return;
    found++;
    const shift = now - (first + i);
    votes.set(shift, (votes.get(shift) ?? 0) + 1);
  });
  let best = 0;
  let most = 0;
  for (const [shift, n] of votes) {
    if (n > most || (n === most && Math.abs(shift) < Math.abs(best))) [best, most] = [shift, n];
  }
  return most * 2 > found ? best : 0;
}
