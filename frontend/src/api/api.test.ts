import { beforeEach, describe, expect, it, vi } from 'vitest';

// The generated wailsjs modules call window.go; unit tests replace them.
const app = vi.hoisted(() => ({
  Overview: vi.fn(),
  ListTickets: vi.fn(),
  GetTicket: vi.fn(),
  SyncNow: vi.fn(),
}));
const runtime = vi.hoisted(() => ({ EventsOn: vi.fn() }));
vi.mock('../../wailsjs/go/app/App', () => app);
vi.mock('../../wailsjs/runtime/runtime', () => runtime);

import { BackendError, getOverview, getTicket, listTickets, onSyncState, onTicketsChanged, syncNow, toError } from './index';
import { row, status, ticket } from '../test/fixtures';

beforeEach(() => {
  vi.resetAllMocks();
});

describe('error wrapping', () => {
  it('turns a Go error string into an Error with that sentence', async () => {
    app.ListTickets.mockRejectedValue('search: syntax error near "AND"');
    const err = await listTickets({ view: 'all', project_id: 0, search: 'a AND' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toBeInstanceOf(Error);
    expect((err as BackendError).message).toBe('search: syntax error near "AND"');
    expect((err as BackendError).method).toBe('ListTickets');
  });

  it.each([
    ['GetTicket', () => getTicket(1, 2), app.GetTicket],
    ['Overview', () => getOverview(), app.Overview],
    ['SyncNow', () => syncNow(), app.SyncNow],
  ] as const)('wraps rejections of %s', async (method, call, fn) => {
    fn.mockRejectedValue('');
    await expect(call()).rejects.toThrow(`${method} failed.`);
  });

  it('keeps real Errors (e.g. the bindings missing) as they are', async () => {
    const boom = new TypeError("Cannot read properties of undefined (reading 'app')");
    app.Overview.mockImplementation(() => {
      throw boom;
    });
    await expect(getOverview()).rejects.toBe(boom);
  });

  it('reads a message from odd rejection values', () => {
    expect(toError('X', { message: 'from object' }).message).toBe('from object');
    expect(toError('X', 42).message).toBe('X failed.');
    expect(toError('X', null).message).toBe('X failed.');
  });
});

describe('calls', () => {
  it('passes the query through and turns Go nil slices into arrays', async () => {
    app.ListTickets.mockResolvedValue([{ ...row(1), labels: null, assignees: null }]);
    const rows = await listTickets({ view: 'needs_reply', project_id: 7, search: 'printer' });
    expect(app.ListTickets).toHaveBeenCalledWith({ view: 'needs_reply', project_id: 7, search: 'printer' });
    expect(rows[0]?.labels).toEqual([]);
    expect(rows[0]?.assignees).toEqual([]);

    app.ListTickets.mockResolvedValue(null);
    await expect(listTickets({ view: 'all', project_id: 0, search: '' })).resolves.toEqual([]);
  });

  it('gives tickets and overviews arrays where Go sent null', async () => {
    app.GetTicket.mockResolvedValue({ ...ticket(2), thread: null, labels: null });
    const t = await getTicket(7, 2);
    expect(app.GetTicket).toHaveBeenCalledWith(7, 2);
    expect(t.thread).toEqual([]);
    expect(t.labels).toEqual([]);

    app.Overview.mockResolvedValue({ projects: null, views: null, status: status() });
    await expect(getOverview()).resolves.toMatchObject({ projects: [], views: [] });
  });
});

describe('events', () => {
  it('subscribes with the right names, passes typed payloads and unsubscribes', () => {
    const off = vi.fn();
    const handlers = new Map<string, (p: unknown) => void>();
    runtime.EventsOn.mockImplementation((name: string, cb: (p: unknown) => void) => {
      handlers.set(name, cb);
      return off;
    });

    const states: unknown[] = [];
    const changes: unknown[] = [];
    const stop1 = onSyncState((s) => states.push(s));
    const stop2 = onTicketsChanged((c) => changes.push(c));

    handlers.get('sync:state')?.(status({ syncing: true }));
    handlers.get('tickets:changed')?.({ project_ids: [7], count: 3 });
    handlers.get('tickets:changed')?.({ project_ids: null, count: 1 });
    expect(states).toEqual([status({ syncing: true })]);
    expect(changes).toEqual([
      { project_ids: [7], count: 3 },
      { project_ids: [], count: 1 },
    ]);

    stop1();
    stop2();
    expect(off).toHaveBeenCalledTimes(2);
  });
});
