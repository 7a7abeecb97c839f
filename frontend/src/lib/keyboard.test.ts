import { describe, expect, it } from 'vitest';
import { GO_TIMEOUT_MS, goSequence, JUMPS, keyAction, shortcuts, type GoPending, type KeyPress } from './keyboard';

const press = (k: string, over: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: document.body,
  ...over,
});

const key = (k: string, over: Partial<KeyPress> = {}) => keyAction(press(k, over));

describe('keyAction', () => {
  it('maps the ticket keys: r reply, i internal note, e close, a assign, l label, m macros', () => {
    expect(['r', 'i', 'e', 'a', 'l', 'm'].map((k) => key(k))).toEqual(['reply', 'note', 'close', 'assign', 'label', 'macros']);
  });

  it('maps the list keys, arrows only while the list has focus', () => {
    expect(['j', 'k', '/'].map((k) => key(k))).toEqual(['next', 'prev', 'search']);
    expect(key('ArrowDown')).toBeNull();
    expect(keyAction(press('ArrowDown'), true)).toBe('next');
    expect(keyAction(press('ArrowUp'), true)).toBe('prev');
  });

  it('opens with Enter, except on a control where Enter presses it', () => {
    expect(key('Enter')).toBe('open');
    expect(key('Enter', { target: document.createElement('button') })).toBeNull();
  });

  it('asks for the shortcuts with ?', () => {
    expect(key('?')).toBe('help');
    expect(key('?', { target: document.createElement('input') })).toBeNull();
  });

  it('leaves keys typed into fields and keys with modifiers alone', () => {
    const area = document.createElement('textarea');
    expect(key('r', { target: area })).toBeNull();
    expect(key('e', { ctrlKey: true })).toBeNull();
    expect(key('l', { metaKey: true })).toBeNull();
    expect(key('j', { altKey: true })).toBeNull();
  });
});

/** Feeds keys at the given times (ms) through goSequence, as the page does. */
function run(keys: Array<[string, number] | [string, number, Partial<KeyPress>]>) {
  let pending: GoPending = null;
  return keys.map(([k, at, over]) => {
    const step = goSequence(pending, press(k, over), at);
    pending = step.pending;
    return step;
  });
}

describe('goSequence', () => {
  it('jumps to the view of each letter typed after g', () => {
    const views = ['n', 'w', 'u', 'm', 'o', 'c', 'a', 'x'].map((k) => run([['g', 0], [k, 100]])[1]!.jump);
    expect(views).toEqual(
      ['needs_reply', 'waiting', 'unassigned', 'mine', 'open', 'closed', 'all', 'unlinked'].map((view) => ({ kind: 'view', view })),
    );
    expect(run([['g', 0], ['b', 100]])[1]!.jump).toEqual({ kind: 'outbox' });
  });

  it('takes both keys of a jump, so g a does not also change the assignee', () => {
    const [g, a] = run([['g', 0], ['a', 50]]);
    expect(g).toEqual({ pending: 0, jump: null, consumed: true });
    expect(a).toEqual({ pending: null, jump: { kind: 'view', view: 'all' }, consumed: true });
  });

  it('forgets a g after 1.5 seconds: the letter then means what it means alone', () => {
    expect(run([['g', 0], ['a', GO_TIMEOUT_MS]])[1]!.jump).toEqual({ kind: 'view', view: 'all' });
    expect(run([['g', 0], ['a', GO_TIMEOUT_MS + 1]])[1]).toEqual({ pending: null, jump: null, consumed: false });
  });

  it('ends a waiting g on any other key, which keeps its own meaning', () => {
    const [, j, n] = run([['g', 0], ['j', 10], ['n', 20]]);
    expect(j).toEqual({ pending: null, jump: null, consumed: false });
    expect(n!.jump).toBeNull();
  });

  it('waits through Shift and restarts on a second g', () => {
    const steps = run([['g', 0], ['Shift', 1000], ['g', 1400], ['n', 2800]]);
    expect(steps[1]!.pending).toBe(0);
    expect(steps[3]!.jump).toEqual({ kind: 'view', view: 'needs_reply' });
  });

  it('ignores keys typed into fields and keys with Ctrl, Alt or Meta', () => {
    const input = document.createElement('input');
    expect(run([['g', 0, { target: input }]])[0]).toEqual({ pending: null, jump: null, consumed: false });
    expect(run([['g', 0], ['n', 10, { target: input }]])[1]!.jump).toBeNull();
    expect(run([['g', 0], ['n', 10, { ctrlKey: true }]])[1]!.jump).toBeNull();
    expect(run([['g', 0, { metaKey: true }]])[0]!.consumed).toBe(false);
  });

  it('does not jump on a letter without a g', () => {
    expect(run([['n', 0]])[0]).toEqual({ pending: null, jump: null, consumed: false });
  });
});

describe('shortcuts', () => {
  const listed = (mac: boolean) =>
    shortcuts(mac)
      .flatMap((g) => g.items)
      .flatMap((s) => s.keys.map((presses) => presses.join(' ')));

  it('lists every key that does something', () => {
    const all = listed(false);
    const arrows: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑' };
    const single = ['ArrowDown', 'ArrowUp', 'Enter', '/', '?', ...'abcdefghijklmnopqrstuvwxyz'].filter(
      (k) => keyAction(press(k), true) !== null,
    );
    expect(single.length).toBeGreaterThan(10);
    for (const k of single) expect(all).toContain(arrows[k] ?? k);
    for (const j of JUMPS) expect(all).toContain(`g ${j.key}`);
    expect(all).toContain('Ctrl+,');
  });

  it('names the Mac keys on a Mac', () => {
    expect(listed(true)).toContain('⌘+Enter');
    expect(listed(true)).not.toContain('Ctrl+Enter');
  });
});
