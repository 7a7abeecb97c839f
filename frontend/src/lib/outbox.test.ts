import { describe, expect, it } from 'vitest';
import { FakeApi, op } from '../test/fixtures';
import { OutboxStore } from './outbox.svelte';

const at = (s: number) => new Date(Date.parse('2024-06-15T12:00:00Z') + s * 1000).toISOString();

describe('OutboxStore', () => {
  it('loads the unfinished ops and counts them, with the ones that need the agent', async () => {
    const api = new FakeApi();
    api.ops = [op('a'), op('b', { iid: 2, state: 'failed', reason: 'GitLab refused the token' }), op('c', { state: 'recorded' })];
    const store = new OutboxStore(api);
    await store.load();
    expect(store.ops.map((o) => o.id)).toEqual(['a', 'b']);
    expect(store.count).toBe(2);
    expect(store.problems).toBe(1);
    expect([...store.marks]).toEqual([
      ['7:1', { count: 1, failed: false }],
      ['7:2', { count: 1, failed: true }],
    ]);
  });

  it('follows events: new ops are added, moved ones replaced in place, undone ones removed for good', () => {
    const store = new OutboxStore(new FakeApi());
    store.apply([op('a'), op('b')]);
    store.apply([op('a', { state: 'sending', updated_at: at(10) })]);
    expect(store.ops.map((o) => [o.id, o.state])).toEqual([
      ['a', 'sending'],
      ['b', 'queued'],
    ]);
    // A late answer older than what the page has is dropped.
    store.apply([op('a', { state: 'queued', updated_at: at(0) })]);
    expect(store.ops[0]?.state).toBe('sending');
    store.apply([op('b', { state: 'undone', updated_at: at(11) })]);
    store.apply([op('b')]);
    expect(store.ops.map((o) => o.id)).toEqual(['a']);
  });

  it('keeps a recorded op until the reload after it, and keeps it over a reload of the outbox', async () => {
    const api = new FakeApi();
    const store = new OutboxStore(api);
    store.apply([op('a', { state: 'recorded', updated_at: at(12) }), op('b')]);
    expect(store.count).toBe(1);
    expect(store.marks.size).toBe(1);
    api.ops = [op('b')];
    await store.load();
    expect(store.ops.map((o) => o.id)).toEqual(['b', 'a']);
    const done = store.doneIds();
    store.apply([op('c', { state: 'recorded' })]);
    store.forgetDone(done);
    expect(store.ops.map((o) => o.id)).toEqual(['b', 'c']);
  });

  it('undo removes the op at once; a refusal leaves it with the sentence', async () => {
    const api = new FakeApi();
    api.ops = [op('a'), op('b', { state: 'sending' })];
    const store = new OutboxStore(api);
    await store.load();
    expect(await store.undo('a')).toBe(true);
    expect(store.ops.map((o) => o.id)).toEqual(['b']);
    expect(await store.undo('b')).toBe(false);
    expect(store.actionError('b')).toBe('too late to undo: it is already sending');
    expect(store.ops.map((o) => o.id)).toEqual(['b']);
  });

  it('decide passes the decision; discard and edit take the op away, retry leaves it to the events', async () => {
    const api = new FakeApi();
    const store = new OutboxStore(api);
    store.apply([op('a', { state: 'failed' }), op('b', { state: 'conflict' }), op('c', { state: 'failed' })]);
    expect(await store.decide('a', 'retry')).toBe(true);
    expect(await store.decide('b', 'edit')).toBe(true);
    expect(await store.decide('c', 'discard')).toBe(true);
    expect(api.decisions).toEqual([
      ['a', 'retry'],
      ['b', 'edit'],
      ['c', 'discard'],
    ]);
    expect(store.ops.map((o) => o.id)).toEqual(['a']);
    api.decideResult = new Error('it changed meanwhile: it is now sending');
    expect(await store.decide('a', 'retry')).toBe(false);
    expect(store.actionError('a')).toBe('it changed meanwhile: it is now sending');
  });

  it('follows the watched reply through its states, and marks it undone', () => {
    const store = new OutboxStore(new FakeApi());
    store.watch(op('a'));
    store.apply([op('x', { state: 'sending', updated_at: at(1) })]);
    expect(store.watched?.op.state).toBe('queued');
    store.apply([op('a', { state: 'sending', updated_at: at(10) })]);
    expect(store.watched?.op.state).toBe('sending');
    store.apply([op('a', { state: 'recorded', updated_at: at(11) })]);
    store.forgetDone();
    // Forgotten by the list, still shown by the bar.
    expect(store.ops.map((o) => o.id)).toEqual(['x']);
    expect(store.watched?.op.state).toBe('recorded');

    store.watch(op('b'));
    store.apply([op('b', { state: 'undone' })]);
    expect(store.watched).toMatchObject({ undone: true });
  });
});
