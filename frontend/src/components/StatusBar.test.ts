import { render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { OverviewStore } from '../lib/overview.svelte';
import { FakeApi, NOW, overview, status } from '../test/fixtures';
import { renderApp, settle } from '../test/render';
import StatusBar from './StatusBar.svelte';

const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();

async function renderBar(s = status(), now = NOW) {
  const api = new FakeApi();
  api.overviewResult = overview({ status: s });
  const ov = new OverviewStore(api);
  await ov.load();
  const view = render(StatusBar, { overview: ov, now });
  await tick();
  return { api, overview: ov, rerender: (n: number) => view.rerender({ overview: ov, now: n }) };
}

const syncText = () => screen.getByTestId('status-sync').textContent?.replace(/\s+/g, ' ').trim();
const summary = () => screen.queryByTestId('status-summary');

describe('status bar progress', () => {
  it('counts the tickets a running sync stored, with separators', async () => {
    const { overview: ov } = await renderBar(status({ syncing: true, progress: 0 }));
    expect(syncText()).toBe('Syncing…');

    ov.setStatus(status({ syncing: true, progress: 1200 }));
    await tick();
    expect(syncText()).toBe('Syncing… 1,200 tickets');
    expect(screen.getByTestId('sync-now').textContent?.trim()).toBe('Syncing…');

    ov.setStatus(status({ syncing: true, progress: 1 }));
    await tick();
    expect(syncText()).toBe('Syncing… 1 ticket');
  });

  it('says Syncing… at once after Sync now, before the counts arrive', async () => {
    const { overview: ov } = await renderBar(status({ progress: 5 }));
    await ov.syncNow();
    await tick();
    expect(syncText()).toBe('Syncing…');
  });
});

describe('status bar summary', () => {
  it('names what the sync changed, then goes back to the plain time as now moves on', async () => {
    const { overview: ov, rerender } = await renderBar(status({ syncing: true, progress: 40 }));
    expect(summary()).toBeNull();

    ov.setStatus(status({ last_sync_at: at(NOW), last_summary: '3 new, 12 updated' }));
    await tick();
    expect(syncText()).toBe('Synced just now · 3 new, 12 updated');
    expect(summary()!.textContent).toBe('3 new, 12 updated');

    await rerender(NOW + 40_000);
    expect(summary()).not.toBeNull();

    await rerender(NOW + 70_000);
    expect(summary()).toBeNull();
    expect(syncText()).toBe('Synced 1 min ago');

    await rerender(NOW + 5 * MIN);
    expect(syncText()).toBe('Synced 5 min ago');
  });

  it('shows no summary when the sync changed nothing, or for an old sync', async () => {
    await renderBar(status({ last_sync_at: at(NOW), last_summary: '' }));
    expect(summary()).toBeNull();
    expect(syncText()).toBe('Synced just now');
  });

  it('hides a summary from an old sync at start', async () => {
    await renderBar(status({ last_sync_at: at(NOW - 10 * MIN), last_summary: '1 gone' }));
    expect(summary()).toBeNull();
    expect(syncText()).toBe('Synced 10 min ago');
  });
});

describe('status bar with the app clock', () => {
  it('the shared clock hides the summary about a minute after the sync', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const api = new FakeApi();
      const { unmount } = await renderApp(api);
      api.emitSyncState(status({ syncing: true, progress: 1200 }));
      await settle();
      expect(syncText()).toBe('Syncing… 1,200 tickets');

      api.emitSyncState(status({ last_sync_at: at(NOW), last_summary: '3 new, 12 updated, 1 gone' }));
      await settle();
      expect(summary()!.textContent).toContain('3 new, 12 updated, 1 gone');

      await vi.advanceTimersByTimeAsync(40_000);
      await settle();
      expect(summary()).not.toBeNull();

      await vi.advanceTimersByTimeAsync(40_000);
      await settle();
      expect(summary()).toBeNull();
      expect(syncText()).toBe('Synced 1 min ago');
      unmount();
    } finally {
      vi.useRealTimers();
    }
  });
});
