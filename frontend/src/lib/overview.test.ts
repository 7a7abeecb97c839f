import { afterEach, describe, expect, it, vi } from 'vitest';
import { OverviewStore } from './overview.svelte';
import { FakeApi, overview } from '../test/fixtures';

afterEach(() => {
  vi.useRealTimers();
});

describe('the next service-level change', () => {
  it('calls onslachange a moment after an open ticket turns soon or due, and a later load replaces the timer', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-26T12:00:00Z') });
    const api = new FakeApi();
    api.overviewResult = overview({ sla: { active: true, problems: [], next_change_at: '2026-11-26T12:05:00Z' } });
    const store = new OverviewStore(api);
    const fired = vi.fn();
    store.onslachange = fired;
    await store.load();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(fired).not.toHaveBeenCalled(); // a second's margin after the due time
    await vi.advanceTimersByTimeAsync(1000);
    expect(fired).toHaveBeenCalledTimes(1);

    // A load that says a later time moves the timer; none: no timer.
    api.overviewResult = overview({ sla: { active: true, problems: [], next_change_at: '2026-11-26T13:00:00Z' } });
    await store.load();
    api.overviewResult = overview({ sla: { active: true, problems: [], next_change_at: '' } });
    await store.load();
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('waits at least half a minute, however soon the next change', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-26T12:00:00Z') });
    const api = new FakeApi();
    api.overviewResult = overview({ sla: { active: true, problems: [], next_change_at: '2026-11-26T12:00:02Z' } });
    const store = new OverviewStore(api);
    const fired = vi.fn();
    store.onslachange = fired;
    await store.load();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(fired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('stops with dispose', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-26T12:00:00Z') });
    const api = new FakeApi();
    api.overviewResult = overview({ sla: { active: true, problems: [], next_change_at: '2026-11-26T12:01:00Z' } });
    const store = new OverviewStore(api);
    const fired = vi.fn();
    store.onslachange = fired;
    await store.load();
    store.dispose();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fired).not.toHaveBeenCalled();
  });
});
