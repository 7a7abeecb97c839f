import { describe, expect, it } from 'vitest';
import { keyAction } from './keyboard';

const key = (k: string, over: Partial<KeyboardEvent> = {}) =>
  keyAction({ key: k, ctrlKey: false, metaKey: false, altKey: false, target: document.body, ...over });

describe('keyAction', () => {
  it('maps the ticket keys: r reply, i internal note, e close, a assign, l label', () => {
    expect(['r', 'i', 'e', 'a', 'l'].map((k) => key(k))).toEqual(['reply', 'note', 'close', 'assign', 'label']);
  });

  it('leaves keys typed into fields and keys with modifiers alone', () => {
    const area = document.createElement('textarea');
    expect(key('r', { target: area })).toBeNull();
    expect(key('e', { ctrlKey: true })).toBeNull();
    expect(key('l', { metaKey: true })).toBeNull();
  });
});
