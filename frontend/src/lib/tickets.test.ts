import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TicketPage, TicketQuery } from '../api/types';
import { FakeApi, row } from '../test/fixtures';
import { SelectionStore } from './selection.svelte';
import { countLabel, TicketsStore } from './tickets.svelte';

afterEach(() => {
  vi.useRealTimers();
});

const many = (n: number) => Array.from({ length: n }, (_, i) => row(i + 1));

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
    expect(store.input).toBe('printer');
    await vi.advanceTimersByTimeAsync(149);
    expect(api.queries).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.queries).toEqual([{ view: 'open', project_id: 0, search: 'printer', sort: 'updated', offset: 0, limit: 200 }]);
  });

  it('drops an older answer that arrives after a newer one', async () => {
    const resolvers: Array<(page: TicketPage) => void> = [];
    const store = new TicketsStore({
      listTickets: () => new Promise((resolve) => resolvers.push(resolve)),
      markRead: async () => {},
    });
    const first = store.setView('closed');
    const second = store.setView('all');
    resolvers[1]!({ rows: [row(2)], offset: 0, total: 1, capped: false });
    await second;
    resolvers[0]!({ rows: [row(1)], offset: 0, total: 1, capped: false });
    await first;
    expect(store.rows.map((r) => r.iid)).toEqual([2]);
    expect(store.shown.view).toBe('all');
    expect(store.loading).toBe(false);
  });

  it('keeps the rows on screen when a reload fails, and reports the sentence', async () => {
    const api = new FakeApi();
    const store = new TicketsStore(api);
    await store.load();
    api.rows = new Error('Disk full.');
    await store.reload();
    expect(store.rows).toHaveLength(3);
    expect(store.error).toBe('Disk full.');
  });

  it('asks for pages of 200 around what is on screen, and knows the total', async () => {
    const api = new FakeApi();
    api.rows = many(50_000);
    const store = new TicketsStore(api);
    await store.load();
    expect(store.total).toBe(50_000);
    expect(store.list.rowAt(199)?.iid).toBe(200);
    expect(store.list.rowAt(200)).toBeUndefined();

    await store.list.ensure(30_010, 30_030);
    expect(api.queries.map((q) => [q.offset, q.limit])).toEqual([
      [0, 200],
      [29_800, 200],
      [30_000, 200],
    ]);
    expect(store.list.rowAt(30_010)?.iid).toBe(30_011);
    // Only the pages asked for are held: not 50,000 rows.
    expect(store.rows.length).toBe(600);
  });

  it('a search the Go side refuses keeps the old rows and says why under the box', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const store = new TicketsStore(api);
    await store.load();
    api.searchResult = new Error('is:sometimes is not a filter; try is:open, is:closed');
    store.setSearch('is:sometimes');
    await vi.advanceTimersByTimeAsync(200);
    expect(store.searchError).toBe('is:sometimes is not a filter; try is:open, is:closed');
    expect(store.error).toBe('');
    expect(store.rows.map((r) => r.iid)).toEqual([1, 2, 3]);
    expect(store.shown.search).toBe('');

    api.searchResult = null;
    store.setSearch('printer');
    await vi.advanceTimersByTimeAsync(200);
    expect(store.searchError).toBe('');
    expect(store.shown.search).toBe('printer');
  });

  it('a new order starts from the top', async () => {
    const api = new FakeApi();
    const store = new TicketsStore(api);
    await store.load();
    const resets = store.list.resets;
    await store.setSort('waiting');
    expect(api.queries.at(-1)).toMatchObject({ sort: 'waiting', offset: 0 });
    expect(store.list.resets).toBe(resets + 1);
    await store.setSort('waiting');
    expect(api.queries).toHaveLength(2);
  });

  it('does not ask for tickets in the mail view', async () => {
    const api = new FakeApi();
    const store = new TicketsStore(api);
    await store.setView('unlinked');
    expect(api.queries).toEqual([]);
  });

  it('marks a row unread at once, and puts it back when the Go side fails', async () => {
    const api = new FakeApi();
    const store = new TicketsStore(api);
    await store.load();
    await store.markRead(row(2), false);
    expect(api.reads).toEqual([[7, 2, false]]);
    expect(store.list.rowAt(1)?.unread).toBe(true);

    api.markReadResult = new Error('database is locked');
    await store.markRead(row(2), true);
    expect(store.list.rowAt(1)?.unread).toBe(true);
    expect(store.actionError).toBe("Couldn't mark #2 read: database is locked");
  });
});

describe('the cursor across pages', () => {
  async function world(n: number) {
    const api = new FakeApi();
    api.rows = many(n);
    const tickets = new TicketsStore(api);
    const selection = new SelectionStore(api);
    selection.follow(tickets.list);
    await tickets.load();
    return { api, tickets, selection };
  }

  it('j moves into a page not fetched yet, fetching it first; k moves back', async () => {
    const { api, selection } = await world(450);
    selection.select('7:200');
    await selection.move(1);
    expect(selection.cursor).toBe('7:201');
    expect(api.queries.at(-1)).toMatchObject({ offset: 200, limit: 200 });
    await selection.move(-2);
    expect(selection.cursor).toBe('7:199');
  });

  it('moves pressed while a page is on its way count from where the cursor is going', async () => {
    const api = new FakeApi();
    api.rows = many(450);
    let hold: (() => void) | null = null;
    const slow = {
      listTickets: async (q: TicketQuery) => {
        if (q.offset > 0) await new Promise<void>((r) => (hold = r));
        return api.listTickets(q);
      },
      markRead: async () => {},
    };
    const tickets = new TicketsStore(slow);
    const selection = new SelectionStore(api);
    selection.follow(tickets.list);
    await tickets.load();
    selection.select('7:200');
    const first = selection.move(1);
    const second = selection.move(1);
    await Promise.resolve();
    hold!();
    await Promise.all([first, second]);
    expect(selection.cursor).toBe('7:202');
  });

  it('k from nowhere starts at the last row of the list, fetching its page', async () => {
    const { selection } = await world(1234);
    await selection.move(-1);
    expect(selection.cursor).toBe('7:1234');
  });

  it('a reload keeps the cursor on its ticket when it moved, and at its place when it left', async () => {
    const { api, tickets, selection } = await world(5);
    selection.select('7:3');
    api.rows = [row(9), ...many(5)];
    await tickets.reload();
    expect(selection.cursor).toBe('7:3');
    expect(selection.index()).toBe(3);

    api.rows = [row(9), row(1), row(2), row(4), row(5)];
    await tickets.reload();
    expect(selection.cursor).toBe('7:4');
  });
});

describe('countLabel', () => {
  it.each([
    [0, false, '0 tickets'],
    [1, false, '1 ticket'],
    [12_345, false, '12,345 tickets'],
    [1000, true, '1,000+ tickets'],
  ])('%d (capped %s) is "%s"', (n, capped, want) => {
    expect(countLabel(n, capped)).toBe(want);
  });
});
