import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, row } from '../test/fixtures';
import { TicketsStore } from './tickets.svelte';

afterEach(() => {
  vi.useRealTimers();
});

describe('TicketsStore', () => {
  it('debounces search: one request after typing stops', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const store = new TicketsStore(api);
    store.setSearch('p');
    await vi.advanceTimersByTimeAsync(100);
    store.setSearch('pr');
    await vi.advanceTimersByTimeAsync(100);
    store.setSearch('printer');
    await vi.advanceTimersByTimeAsync(149);
    expect(api.queries).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.queries).toEqual([{ view: 'open', project_id: 0, search: 'printer' }]);
  });

  it('drops an older answer that arrives after a newer one', async () => {
    const resolvers: Array<(rows: ReturnType<typeof row>[]) => void> = [];
    const store = new TicketsStore({
      listTickets: () => new Promise((resolve) => resolvers.push(resolve)),
    });
    const first = store.setView('closed');
    const second = store.setView('all');
    resolvers[1]!([row(2)]);
    await second;
    resolvers[0]!([row(1)]);
    await first;
    expect(store.rows.map((r) => r.iid)).toEqual([2]);
    expect(store.loading).toBe(false);
  });

  it('keeps the rows on screen when a reload fails, and reports the sentence', async () => {
    const api = new FakeApi();
    const store = new TicketsStore(api);
    await store.load();
    api.rows = new Error('Disk full.');
    await store.load();
    expect(store.rows).toHaveLength(3);
    expect(store.error).toBe('Disk full.');
  });
});
