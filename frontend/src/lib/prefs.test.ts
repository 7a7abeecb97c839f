import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../test/fixtures';
import { PrefsStore, SAVE_DELAY_MS } from './prefs.svelte';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('PrefsStore', () => {
  it('loads the saved preferences', async () => {
    const api = new FakeApi();
    api.savedPrefs = { sidebar_width: 240, list_width: 420, notify: false };
    const prefs = new PrefsStore(api);
    expect(prefs.prefs).toEqual({ sidebar_width: 0, list_width: 0, notify: true });
    await prefs.load();
    expect(prefs.loaded).toBe(true);
    expect(prefs.prefs).toEqual({ sidebar_width: 240, list_width: 420, notify: false });
  });

  it('saves once, a moment after the last change, with the preferences it did not change', async () => {
    const api = new FakeApi();
    api.savedPrefs = { sidebar_width: 0, list_width: 0, notify: false };
    const prefs = new PrefsStore(api);
    await prefs.load();
    prefs.save({ sidebar_width: 200 });
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS - 50);
    prefs.save({ sidebar_width: 216 });
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS - 50);
    expect(api.prefsSaves).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(api.prefsSaves).toEqual([{ sidebar_width: 216, list_width: 0, notify: false }]);
  });

  it('set changes the page only: a drag saves when it ends', async () => {
    const api = new FakeApi();
    const prefs = new PrefsStore(api);
    await prefs.load();
    prefs.set({ list_width: 300 });
    prefs.set({ list_width: 310 });
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS * 4);
    expect(prefs.prefs.list_width).toBe(310);
    expect(api.prefsSaves).toEqual([]);
    prefs.save();
    await prefs.flush();
    expect(api.prefsSaves).toEqual([{ sidebar_width: 0, list_width: 310, notify: true }]);
  });

  it('keeps a change made before the saved preferences came in, and saves only after reading them', async () => {
    const api = new FakeApi();
    api.savedPrefs = { sidebar_width: 250, list_width: 400, notify: false };
    const prefs = new PrefsStore(api);
    prefs.save({ list_width: 500 });
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    // notify: false came from the Go side; the page's default (true) did not overwrite it.
    expect(api.prefsSaves).toEqual([{ sidebar_width: 250, list_width: 500, notify: false }]);
    expect(prefs.prefs).toEqual({ sidebar_width: 250, list_width: 500, notify: false });
  });

  it('tells what failed, and flush does nothing when nothing waits', async () => {
    const api = new FakeApi();
    api.savedPrefs = new Error('The preferences could not be read.');
    const prefs = new PrefsStore(api);
    await prefs.load();
    expect(prefs.error).toBe('The preferences could not be read.');
    expect(prefs.loaded).toBe(true);
    await prefs.flush();
    expect(api.prefsSaves).toEqual([]);
  });
});
