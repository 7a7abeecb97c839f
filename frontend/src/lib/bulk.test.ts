import { describe, expect, it } from 'vitest';
import type { Project } from '../api/types';
import { FakeApi, row } from '../test/fixtures';
import { BulkStore, labelsToAdd, labelsToRemove, membersOf, requestFor } from './bulk.svelte';
import { TicketsStore } from './tickets.svelte';

const projects: Project[] = [
  { id: 7, path: 'acme/support', name: 'Support', labels: [{ name: 'billing', color: '' }, { name: 'vip', color: '' }], members: [{ username: 'ann', name: 'Ann' }] },
  { id: 8, path: 'acme/sales', name: 'Sales', labels: [{ name: 'lead', color: '' }, { name: 'vip', color: '' }], members: [{ username: 'bob', name: 'Bob' }] },
];

function world(n = 450) {
  const api = new FakeApi();
  api.rows = Array.from({ length: n }, (_, i) => row(i + 1, i % 2 === 0 ? {} : { project_id: 8, project: 'acme/sales' }));
  const tickets = new TicketsStore(api);
  const ops: string[] = [];
  const bulk = new BulkStore(api, (o) => ops.push(...o.map((x) => `${x.project_id}:${x.iid}`)));
  return { api, tickets, bulk, ops };
}

describe('checking tickets', () => {
  it('toggles one ticket at a time and remembers where', () => {
    const { bulk } = world();
    bulk.toggle(row(1), 0);
    bulk.toggle(row(3), 2);
    expect(bulk.size).toBe(2);
    expect(bulk.has('7:3')).toBe(true);
    bulk.toggle(row(3), 2);
    expect(bulk.has('7:3')).toBe(false);
    expect(bulk.anchor).toBe(2);
  });

  it('Shift checks the range from the last toggle, fetching the pages between', async () => {
    const { api, tickets, bulk } = world();
    await tickets.load();
    bulk.toggle(tickets.list.rowAt(150)!, 150);
    const last = await tickets.list.row(260);
    await bulk.extendTo(last!, 260, tickets.list);
    expect(bulk.size).toBe(111);
    expect(api.queries.some((q) => q.offset === 200)).toBe(true);
    // Without an anchor, Shift checks just the one.
    bulk.clear();
    await bulk.extendTo(row(5), 4, tickets.list);
    expect(bulk.size).toBe(1);
  });
});

describe('what the bulk bar offers', () => {
  const rows = [row(1, { labels: ['billing'] }), row(2, { project_id: 8, labels: ['lead', 'vip'] })];

  it('labels to add: the union of the projects; to remove: those the tickets have', () => {
    expect(labelsToAdd(projects, rows)).toEqual(['billing', 'lead', 'vip']);
    expect(labelsToAdd(projects, [row(1)])).toEqual(['billing', 'vip']);
    expect(labelsToRemove(rows)).toEqual(['billing', 'lead', 'vip']);
  });

  it('members: those of the projects', () => {
    expect(membersOf(projects, rows).map((m) => m.username)).toEqual(['ann', 'bob']);
  });

  it('a change becomes the request BulkTriage takes', () => {
    expect(requestFor({ kind: 'unassign' }, [row(1)])).toEqual({
      tickets: [{ project_id: 7, iid: 1 }],
      add_labels: [],
      remove_labels: [],
      assignees: [],
      state: '',
    });
    expect(requestFor({ kind: 'close' }, [row(1)]).state).toBe('close');
    expect(requestFor({ kind: 'assign', username: 'ann' }, [row(1)]).assignees).toEqual(['ann']);
  });
});

describe('applying a change', () => {
  it('sends one BulkTriage per project, hands the ops to the outbox, then clears', async () => {
    const { api, bulk, ops } = world();
    bulk.toggle(row(1), 0);
    bulk.toggle(row(2, { project_id: 8 }), 1);
    bulk.toggle(row(3), 2);
    expect(await bulk.apply({ kind: 'close' }, projects)).toBe(true);
    expect(api.bulks.map((b) => b.tickets)).toEqual([
      [
        { project_id: 7, iid: 1 },
        { project_id: 7, iid: 3 },
      ],
      [{ project_id: 8, iid: 2 }],
    ]);
    expect(ops).toEqual(['7:1', '7:3', '8:2']);
    expect(bulk.size).toBe(0);
    expect(bulk.notice).toBe('Closing 3 tickets.');
    expect(bulk.error).toBe('');
  });

  it('leaves alone the tickets of a project without the label, and says so', async () => {
    const { api, bulk } = world();
    bulk.toggle(row(1), 0);
    bulk.toggle(row(2, { project_id: 8 }), 1);
    await bulk.apply({ kind: 'add-label', label: 'billing' }, projects);
    expect(api.bulks).toHaveLength(1);
    expect(api.bulks[0]!.add_labels).toEqual(['billing']);
    expect(bulk.notice).toBe('Adding “billing” to 1 ticket. 1 ticket left alone: the label does not exist in its project.');
  });

  it('says which tickets failed, and clears the checks anyway', async () => {
    const { api, bulk } = world();
    api.bulkResult = new Error('1 of 2 tickets were not changed: #3: the ticket is gone');
    bulk.toggle(row(1), 0);
    bulk.toggle(row(3), 2);
    expect(await bulk.apply({ kind: 'reopen' }, projects)).toBe(false);
    expect(bulk.error).toBe('1 of 2 tickets were not changed: #3: the ticket is gone');
    expect(bulk.size).toBe(0);
  });
});
