import { describe, expect, it } from 'vitest';
import type { Macro } from '../api/types';
import { FakeApi, op } from '../test/fixtures';
import { filterMacros, MacrosStore } from './macros.svelte';
import { OutboxStore } from './outbox.svelte';

function macro(name: string, over: Partial<Macro> = {}): Macro {
  return { project_id: 7, path: `.gitlab/service_desk_desktop/macros/${name}.yml`, name, description: '', actions: ['close'], problem: '', ...over };
}

describe('filterMacros', () => {
  it('matches name, description and actions; those that can be applied come first, by name', () => {
    const list = [
      macro('zz broken', { problem: 'line 1: the file is empty', actions: [] }),
      macro('Refund approved', { actions: ['add labels refund', 'close'] }),
      macro('Escalate', { description: 'Hand it to billing', actions: ['add labels billing'] }),
    ];
    expect(filterMacros(list, '').map((m) => m.name)).toEqual(['Escalate', 'Refund approved', 'zz broken']);
    expect(filterMacros(list, 'BILLING').map((m) => m.name)).toEqual(['Escalate']);
    expect(filterMacros(list, 'refund').map((m) => m.name)).toEqual(['Refund approved']);
    expect(filterMacros(list, 'broken').map((m) => m.name)).toEqual(['zz broken']);
  });
});

describe('MacrosStore', () => {
  it("loads a project's macros; another project's list is not shown meanwhile, and a late answer is dropped", async () => {
    const api = new FakeApi();
    api.macroList = [macro('a'), macro('b', { project_id: 8 })];
    const store = new MacrosStore(api);
    await store.load(7);
    expect(store.list.map((m) => m.name)).toEqual(['a']);
    expect(store.loaded).toBe(true);

    const first = store.load(8);
    expect(store.list).toEqual([]);
    expect(store.loaded).toBe(false);
    const second = store.load(7);
    await Promise.all([first, second]);
    expect(store.projectId).toBe(7);
    expect(store.list.map((m) => m.name)).toEqual(['a']);

    api.macroList = new Error('database is locked');
    await store.load(7);
    expect(store.error).toBe("Couldn't load the macros: database is locked");
    expect(store.list.map((m) => m.name)).toEqual(['a']);
  });
});

describe("the outbox following a macro's ops", () => {
  it('follows every op; undone when all are, the first op as the bar names it', async () => {
    const api = new FakeApi();
    const store = new OutboxStore(api);
    const ops = [op('a', { kind: 'labels' }), op('b', { kind: 'note' }), op('c', { kind: 'state' })];
    api.ops = [...ops];
    store.apply(ops);
    store.watchMacro('Escalate', ops);
    expect(store.watched).toMatchObject({ macro: 'Escalate', undone: false, undoneIds: [] });

    store.apply([{ ...ops[0]!, state: 'sending', updated_at: '2024-06-15T12:00:11Z' }]);
    expect(store.watched?.op.state).toBe('sending');
    expect(store.watched?.ops.map((o) => o.state)).toEqual(['sending', 'queued', 'queued']);

    expect(await store.undo('c')).toBe(true);
    store.apply([{ ...ops[1]!, state: 'undone' }]);
    expect(store.watched).toMatchObject({ undone: false, undoneIds: ['c', 'b'] });
    store.apply([{ ...ops[0]!, state: 'undone' }]);
    expect(store.watched?.undone).toBe(true);

    // A reply sent next takes the bar over.
    store.watch(op('d'));
    expect(store.watched).toMatchObject({ macro: '', ops: [{ id: 'd' }] });
  });
});
