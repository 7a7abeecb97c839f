// The list's keyboard shortcuts, as a pure function of the key event so it
// can be tested without a browser.

/**
 * What a key press asks the page to do: the list's actions (next, prev,
 * open, search) and the open ticket's (reply, note, close, assign, label).
 */
export type KeyAction = 'next' | 'prev' | 'open' | 'search' | 'reply' | 'note' | 'close' | 'assign' | 'label' | null;

/** isTypingTarget says whether keys typed at target are text, not shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** Controls where Enter already means "press this". */
function isActivatable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.closest('button, a[href], summary, [role="button"]') !== null;
}

/**
 * keyAction maps a keydown to an action: j/k move the selection
 * (ArrowDown/ArrowUp too while the list has focus), Enter opens the selected
 * ticket, / focuses search; r and i write a reply or an internal note on the
 * open ticket, e closes it, a and l change its assignee and labels. Keys
 * typed into a field and keys with Ctrl, Alt or Meta are left alone.
 */
export function keyAction(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>,
  listHasFocus = false,
): KeyAction {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (isTypingTarget(e.target)) return null;
  switch (e.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'prev';
    case 'ArrowDown':
      return listHasFocus ? 'next' : null;
    case 'ArrowUp':
      return listHasFocus ? 'prev' : null;
    case 'Enter':
      return isActivatable(e.target) ? null : 'open';
    case '/':
      return 'search';
    case 'r':
      return 'reply';
    case 'i':
      return 'note';
    case 'e':
      return 'close';
    case 'a':
      return 'assign';
    case 'l':
      return 'label';
    default:
      return null;
  }
}
