import { render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { FakeApi, overview, status } from '../test/fixtures';
import { listPaneProps } from '../test/render';
import ListPane from './ListPane.svelte';

async function renderList(api: FakeApi, opts: { load?: boolean } = {}) {
  const props = listPaneProps(api);
  if (opts.load !== false) await Promise.all([props.overview.load(), props.tickets.load()]);
  render(ListPane, props);
  await tick();
  return { tickets: props.tickets };
}

const emptyState = () => screen.getByTestId('empty-state');

describe('list empty states', () => {
  it('names the view when it has no tickets', async () => {
    const api = new FakeApi();
    api.rows = [];
    const { tickets } = await renderList(api);
    await tickets.setView('needs_reply');
    await tick();
    expect(emptyState().dataset['kind']).toBe('no-tickets');
    expect(emptyState().textContent).toContain('No tickets in Needs reply');
  });

  it('says a sync is running rather than "no tickets" while the first sync runs', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({ status: status({ syncing: true, last_sync_at: '' }) });
    api.rows = [];
    await renderList(api);
    expect(emptyState().dataset['kind']).toBe('syncing');
  });

  it('says the search found nothing', async () => {
    vi.useFakeTimers();
    try {
      const api = new FakeApi();
      const { tickets } = await renderList(api);
      api.rows = [];
      tickets.setSearch('  zebra ');
      await vi.advanceTimersByTimeAsync(200);
      await tick();
      expect(api.queries.at(-1)).toEqual({ view: 'open', project_id: 0, search: 'zebra', sort: 'updated', offset: 0, limit: 200 });
      expect(emptyState().dataset['kind']).toBe('no-results');
      expect(emptyState().textContent).toContain('No tickets match “zebra”');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the load error sentence and offers to retry', async () => {
    const api = new FakeApi();
    api.rows = new Error('The local database is locked by another servicedesk process.');
    await renderList(api);
    expect(emptyState().dataset['kind']).toBe('list-error');
    expect(emptyState().getAttribute('role')).toBe('alert');
    expect(emptyState().textContent).toContain('The local database is locked by another servicedesk process.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('shows placeholder rows, not a blank pane, while the first load runs', async () => {
    await renderList(new FakeApi(), { load: false });
    expect(screen.queryByTestId('empty-state')).toBeNull();
    expect(screen.getByLabelText('Loading tickets').querySelectorAll('li')).toHaveLength(8);
  });
});
