import { describe, expect, it } from 'vitest';
import { anchorShift, poolSize, revealTop, slots, visibleRange } from './virtual';

describe('visibleRange', () => {
  it('renders the rows on screen and overscan around them, within the list', () => {
    // 50,000 rows of 90 px, a 720 px viewport scrolled to row 1000.
    expect(visibleRange(90_000, 720, 90, 50_000, 6)).toEqual({ first: 1000, last: 1008, start: 994, end: 1014 });
    expect(visibleRange(0, 720, 90, 50_000, 6)).toEqual({ first: 0, last: 8, start: 0, end: 14 });
    expect(visibleRange(45, 720, 90, 3, 6)).toEqual({ first: 0, last: 3, start: 0, end: 3 });
    expect(visibleRange(0, 720, 90, 0, 6)).toEqual({ first: 0, last: 0, start: 0, end: 0 });
  });

  it('a scroll position past the end (the list shrank) still shows the last rows', () => {
    expect(visibleRange(900_000, 720, 90, 20, 2)).toEqual({ first: 19, last: 20, start: 17, end: 20 });
  });
});

describe('slots', () => {
  it('holds every row of any window, and no empty slot in a long list', () => {
    const pool = poolSize(720, 90, 6);
    for (const top of [0, 45, 90_000, 90_044, 4_499_280]) {
      const win = visibleRange(top, 720, 90, 50_000, 6);
      const s = slots(win, pool, 50_000);
      expect(s).toHaveLength(pool);
      expect(s).not.toContain(-1);
      for (let i = win.start; i < win.end; i++) expect(s).toContain(i);
    }
  });

  it('keeps the slot of every row that stays on a scroll', () => {
    const pool = poolSize(720, 90, 6);
    const before = slots(visibleRange(90_000, 720, 90, 50_000, 6), pool, 50_000);
    const after = slots(visibleRange(90_000 + 3 * 90, 720, 90, 50_000, 6), pool, 50_000);
    // Three rows scrolled out at the top and three came at the bottom; the rest stay where they were.
    const moved = before.filter((row, slot) => after[slot] !== row);
    expect(moved).toHaveLength(3);
    for (const row of before) if (after.includes(row)) expect(after.indexOf(row)).toBe(before.indexOf(row));
  });

  it('in order from the top of a list that fits, with no empty slot', () => {
    expect(slots(visibleRange(0, 720, 90, 3, 6), poolSize(720, 90, 6), 3)).toEqual([0, 1, 2]);
    expect(slots(visibleRange(0, 720, 90, 0, 6), poolSize(720, 90, 6), 0)).toEqual([]);
  });
});

describe('revealTop', () => {
  it('scrolls as little as needed, and not at all when the row is in view', () => {
    expect(revealTop(10, 0, 720, 90)).toBe(900 + 90 - 720);
    expect(revealTop(3, 0, 720, 90)).toBeNull();
    expect(revealTop(2, 500, 720, 90)).toBe(180);
  });
});

describe('anchorShift', () => {
  const at = (keys: string[]) => (k: string) => keys.indexOf(k);

  it('follows the rows on screen when a ticket arrived above them', () => {
    expect(anchorShift(['c', 'd', 'e'], 2, at(['new', 'a', 'b', 'c', 'd', 'e']))).toBe(1);
  });

  it('is outvoted by the other rows when one on screen moved to the top on its own', () => {
    expect(anchorShift(['c', 'd', 'e', 'f'], 2, at(['c', 'a', 'b', 'd', 'e', 'f']))).toBe(0);
  });

  it('counts only the rows still known', () => {
    expect(anchorShift(['c', 'loading:3', 'e'], 2, at(['x', 'y', 'a', 'b', 'c', 'z', 'e']))).toBe(2);
    expect(anchorShift(['gone'], 2, at(['a']))).toBe(0);
  });
});
