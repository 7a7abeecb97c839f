import { describe, expect, it, vi } from 'vitest';
import { focusLeft, pickerKey } from './focus';

describe('focusLeft', () => {
  it('is true when the focus goes outside the element, or nowhere', () => {
    const box = document.createElement('div');
    const inside = document.createElement('button');
    const outside = document.createElement('button');
    box.append(inside);
    document.body.append(box, outside);
    let left: boolean | null = null;
    box.addEventListener('focusout', (e) => (left = focusLeft(e)));
    box.dispatchEvent(new FocusEvent('focusout', { relatedTarget: inside }));
    expect(left).toBe(false);
    box.dispatchEvent(new FocusEvent('focusout', { relatedTarget: outside }));
    expect(left).toBe(true);
    box.dispatchEvent(new FocusEvent('focusout', { relatedTarget: null }));
    expect(left).toBe(true);
  });
});

describe('pickerKey', () => {
  const key = (k: string) => new KeyboardEvent('keydown', { key: k, cancelable: true, bubbles: true });

  it('moves, picks and closes, and keeps every key in the picker', () => {
    const on = { move: vi.fn(), pick: vi.fn(), close: vi.fn() };
    for (const k of ['ArrowDown', 'ArrowUp', 'Enter', 'Escape']) {
      const e = key(k);
      const stop = vi.spyOn(e, 'stopPropagation');
      pickerKey(e, on);
      expect(e.defaultPrevented).toBe(true);
      expect(stop).toHaveBeenCalled();
    }
    expect(on.move.mock.calls).toEqual([[1], [-1]]);
    expect(on.pick).toHaveBeenCalledTimes(1);
    expect(on.close).toHaveBeenCalledTimes(1);
    // A letter is the filter's: not prevented, but kept from the page's shortcuts.
    const a = key('a');
    const stop = vi.spyOn(a, 'stopPropagation');
    pickerKey(a, on);
    expect(a.defaultPrevented).toBe(false);
    expect(stop).toHaveBeenCalled();
  });
});
