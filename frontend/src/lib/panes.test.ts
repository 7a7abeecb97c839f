import { describe, expect, it } from 'vitest';
import { clampWidth, keyWidth, paneColumns, paneRange } from './panes';

describe('paneRange', () => {
  it('keeps the sidebar between 10 and 22 rem, whatever the window', () => {
    expect(paneRange('sidebar', 16, 1280, 216)).toEqual({ min: 160, max: 352 });
    // At 150% text the bounds grow with the rem.
    expect(paneRange('sidebar', 24, 1280, 216)).toEqual({ min: 240, max: 528 });
  });

  it('lets the list grow until the ticket pane would be under 22 rem', () => {
    expect(paneRange('list', 16, 1280, 216)).toEqual({ min: 256, max: 1280 - 216 - 352 });
    // A window too narrow for both: the list keeps its minimum.
    expect(paneRange('list', 16, 700, 216)).toEqual({ min: 256, max: 256 });
  });
});

describe('clampWidth and keyWidth', () => {
  const range = { min: 160, max: 352 };

  it('clamps to the range in whole pixels', () => {
    expect([100, 200.4, 999].map((w) => clampWidth(w, range))).toEqual([160, 200, 352]);
    expect(clampWidth(300, { min: 256, max: 100 })).toBe(256);
  });

  it('moves by 16 px with the arrows and to the ends with Home and End, never past them', () => {
    expect(keyWidth('ArrowRight', 200, range)).toBe(216);
    expect(keyWidth('ArrowLeft', 200, range)).toBe(184);
    expect(keyWidth('ArrowLeft', 170, range)).toBe(160);
    expect(keyWidth('ArrowRight', 350, range)).toBe(352);
    expect(keyWidth('Home', 200, range)).toBe(160);
    expect(keyWidth('End', 200, range)).toBe(352);
    expect(keyWidth('ArrowUp', 200, range)).toBeNull();
    expect(keyWidth('a', 200, range)).toBeNull();
  });
});

describe('paneColumns', () => {
  it('uses the defaults for 0 and a remembered width otherwise, held to the same ranges in CSS', () => {
    expect(paneColumns(0, 0)).toEqual({
      sidebar: 'clamp(10rem, var(--sidebar-default), 22rem)',
      list: 'clamp(16rem, var(--list-default), calc(100% - var(--sidebar-col) - 22rem))',
    });
    expect(paneColumns(240.4, 500)).toEqual({
      sidebar: 'clamp(10rem, 240px, 22rem)',
      list: 'clamp(16rem, 500px, calc(100% - var(--sidebar-col) - 22rem))',
    });
  });
});
