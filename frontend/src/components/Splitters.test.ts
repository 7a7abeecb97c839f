import { fireEvent } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAVE_DELAY_MS } from '../lib/prefs.svelte';
import { FakeApi } from '../test/fixtures';
import { byTestId, renderApp, settle } from '../test/render';

afterEach(() => {
  vi.useRealTimers();
});

/** The app with remembered widths, on fake timers so the delayed save can be awaited. */
async function renderWith(sidebar: number, list = 0) {
  vi.useFakeTimers();
  const api = new FakeApi();
  api.savedPrefs = { sidebar_width: sidebar, list_width: list, notify: false };
  const app = await renderApp(api);
  await settle();
  return { api, ...app };
}

const splitter = () => byTestId('splitter-sidebar');
const column = (name: 'sidebar' | 'list') =>
  document.querySelector<HTMLElement>('.panes')!.style.getPropertyValue(`--${name}-col`);

async function key(k: string) {
  await fireEvent.keyDown(splitter(), { key: k });
  await settle();
}

describe('the splitters', () => {
  it('are separators that tell the width they set', async () => {
    await renderWith(240, 420);
    const s = splitter();
    expect(s.getAttribute('role')).toBe('separator');
    expect(s.getAttribute('aria-orientation')).toBe('vertical');
    expect(s.getAttribute('aria-label')).toBe('Resize the sidebar');
    expect(s.tabIndex).toBe(0);
    expect(s.getAttribute('aria-valuenow')).toBe('240');
    expect([s.getAttribute('aria-valuemin'), s.getAttribute('aria-valuemax')]).toEqual(['160', '352']);
    expect(byTestId('splitter-list').getAttribute('aria-label')).toBe('Resize the ticket list');
    // The remembered widths are the grid's, held to the ranges.
    expect(column('sidebar')).toBe('clamp(10rem, 240px, 22rem)');
    expect(column('list')).toContain('420px');
  });

  it('move 16 px per arrow key, stop at the ends, and remember the width once the keys stop', async () => {
    const { api } = await renderWith(240);
    await key('ArrowRight');
    await key('ArrowRight');
    expect(splitter().getAttribute('aria-valuenow')).toBe('272');
    expect(column('sidebar')).toBe('clamp(10rem, 272px, 22rem)');
    expect(api.prefsSaves).toEqual([]);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    // One save, with the notification choice it did not touch.
    expect(api.prefsSaves).toEqual([{ sidebar_width: 272, list_width: 0, notify: false }]);

    for (let i = 0; i < 10; i++) await key('ArrowLeft');
    expect(splitter().getAttribute('aria-valuenow')).toBe('160');
    await key('End');
    expect(splitter().getAttribute('aria-valuenow')).toBe('352');
  });

  it('follow a drag on every move and save once, when it ends', async () => {
    const { api } = await renderWith(240);
    const s = splitter();
    await fireEvent.pointerDown(s, { pointerId: 1, button: 0, clientX: 240 });
    await fireEvent.pointerMove(s, { pointerId: 1, clientX: 260 });
    await fireEvent.pointerMove(s, { pointerId: 1, clientX: 300 });
    await settle();
    expect(s.getAttribute('aria-valuenow')).toBe('300');
    expect(document.activeElement).toBe(s);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS * 3);
    expect(api.prefsSaves).toEqual([]);

    await fireEvent.pointerUp(s, { pointerId: 1, clientX: 300 });
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(api.prefsSaves).toEqual([{ sidebar_width: 300, list_width: 0, notify: false }]);
    // A move after the drag ended resizes nothing.
    await fireEvent.pointerMove(s, { pointerId: 1, clientX: 330 });
    await settle();
    expect(s.getAttribute('aria-valuenow')).toBe('300');
  });

  it('go back to the default width on a double-click', async () => {
    const { api } = await renderWith(300);
    await fireEvent.dblClick(splitter());
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(column('sidebar')).toBe('clamp(10rem, var(--sidebar-default), 22rem)');
    expect(api.prefsSaves).toEqual([{ sidebar_width: 0, list_width: 0, notify: false }]);
  });

  it('leave the arrow keys of the page alone: j and k still move in the list', async () => {
    const { state } = await renderWith(240);
    await key('j');
    expect(state.selection.cursor).not.toBeNull();
    expect(splitter().getAttribute('aria-valuenow')).toBe('240');
  });
});
