import { describe, expect, it } from 'vitest';
import { NOW, op, ticket } from '../test/fixtures';
import { heldBy, kindLabel, needsAgent, opStatus, pendingMessages, summary, triageView } from './pending';

describe('pendingMessages', () => {
  it('shows replies and notes until the thread has their note, recorded ones included', () => {
    const ops = [
      op('a'),
      op('b', { kind: 'note', state: 'recorded' }),
      op('c', { state: 'recorded' }),
      op('d', { kind: 'labels', add_labels: ['x'] }),
      op('e', { state: 'undone' }),
    ];
    expect(pendingMessages(ops, new Set()).map((o) => o.id)).toEqual(['a', 'b', 'c']);
    // The reloaded thread has c's note: c gives way, b still shows until its note is there.
    expect(pendingMessages(ops, new Set(['c'])).map((o) => o.id)).toEqual(['a', 'b']);
  });
});

describe('opStatus', () => {
  it('says where an op is, and why it stopped', () => {
    const local = new Date(NOW);
    local.setHours(10, 42, 0, 0);
    expect(opStatus(op('a', { send_at: local.toISOString() }), local.getTime() - 5000)).toEqual({ tone: 'pending', text: 'Pending · sends at 10:42' });
    expect(opStatus(op('a', { state: 'sending' }), NOW).text).toBe('Sending…');
    expect(opStatus(op('a', { state: 'recorded' }), NOW)).toEqual({ tone: 'done', text: 'Sent' });
    expect(opStatus(op('a', { state: 'failed', reason: 'GitLab refused the token' }), NOW)).toEqual({
      tone: 'failed',
      text: 'Failed: GitLab refused the token',
    });
    // A failure the outbox retries by itself waits; it does not need the agent.
    const down = op('a', { state: 'failed', reason: 'GitLab is down', retryable: true, next_try_at: local.toISOString() });
    expect(opStatus(down, local.getTime())).toEqual({ tone: 'pending', text: 'Waiting to retry at 10:42: GitLab is down' });
    expect(needsAgent(down)).toBe(false);
    expect(needsAgent(op('a', { state: 'failed', reason: 'GitLab refused the token' }))).toBe(true);
    expect(opStatus(op('a', { state: 'conflict', reason: 'the customer wrote at 12:01' }), NOW)).toEqual({
      tone: 'held',
      text: 'Held: the customer wrote at 12:01',
    });
    expect(opStatus(op('a', { state: 'delivery unknown' }), NOW).tone).toBe('held');
  });

  it('says what a queued op waits for: ops of a ticket leave in queue order', () => {
    const local = new Date(NOW);
    local.setHours(9, 0, 0, 0);
    const later = op('r', { send_at: local.toISOString() });
    const label = op('l', { kind: 'labels', add_labels: ['vip'] });
    const other = op('o', { iid: 2, kind: 'labels' });
    const ops = [later, other, label];
    expect(heldBy(label, ops)).toBe(later);
    expect(heldBy(later, ops)).toBeNull();
    expect(heldBy(other, ops)).toBeNull();
    expect(opStatus(label, local.getTime() - 60_000, later).text).toBe('Pending · waits for the reply before it (sends at 09:00)');
    expect(opStatus(label, NOW, op('f', { state: 'failed' })).text).toBe('Pending · waits for the reply before it (it needs you)');
  });

  it('names and sums up each kind', () => {
    expect(kindLabel(op('a', { kind: 'note' }))).toBe('Internal note');
    expect(summary(op('a', { kind: 'labels', add_labels: ['billing'], remove_labels: ['new'] }))).toBe('+billing −new');
    expect(summary(op('a', { kind: 'assign', assignees: [] }))).toBe('Unassign');
    expect(kindLabel(op('a', { kind: 'state', state_change: 'reopen' }))).toBe('Reopen');
    expect(summary(op('a', { body: 'Hi\n\nthere' }))).toBe('Hi there');
  });
});

describe('triageView', () => {
  const t = ticket(1, { labels: ['billing', 'urgent'], assignees: ['bob'], state: 'opened' });

  it('applies pending changes in queue order, marked pending', () => {
    const v = triageView(t, [
      op('a', { kind: 'labels', add_labels: ['refund'], remove_labels: ['urgent'] }),
      op('b', { kind: 'assign', assignees: ['ann'] }),
      op('c', { kind: 'state', state_change: 'close' }),
      op('d', { kind: 'cc', add_cc: ['boss@example.com'] }),
    ]);
    expect(v.labels).toEqual([
      { name: 'billing', change: 'none', failed: '' },
      { name: 'urgent', change: 'removing', failed: '' },
      { name: 'refund', change: 'adding', failed: '' },
    ]);
    expect(v).toMatchObject({ assignees: ['ann'], assigneesPending: true, state: 'closed', statePending: true });
    expect(v.cc).toEqual([{ address: 'boss@example.com', change: 'adding', failed: '' }]);
  });

  it('shows the ticket as it is once a recorded change is in it, and a failed change with its reason', () => {
    const reloaded = ticket(1, { labels: ['billing', 'refund'], assignees: ['ann'], state: 'opened' });
    const v = triageView(reloaded, [
      op('a', { kind: 'labels', add_labels: ['refund'], state: 'recorded' }),
      op('b', { kind: 'assign', assignees: ['ann'], state: 'recorded' }),
      op('c', { kind: 'labels', add_labels: ['vip'], state: 'failed', reason: 'GitLab refused: 403' }),
    ]);
    expect(v.labels).toEqual([
      { name: 'billing', change: 'none', failed: '' },
      { name: 'refund', change: 'none', failed: '' },
      { name: 'vip', change: 'adding', failed: 'GitLab refused: 403' },
    ]);
    expect(v.assigneesPending).toBe(false);
  });

  it('a label added and removed again before it landed is not shown', () => {
    const v = triageView(t, [op('a', { kind: 'labels', add_labels: ['x'] }), op('b', { kind: 'labels', remove_labels: ['x'] })]);
    expect(v.labels.map((l) => l.name)).toEqual(['billing', 'urgent']);
  });
});
