// Keys and focus of the page's small pop-ups (pickers, menus, the search
// help): what they all do the same way.

/** focusLeft says whether a focusout took the focus out of the element that heard it (to another part of the page, or away from it). */
export function focusLeft(e: FocusEvent): boolean {
  const to = e.relatedTarget;
  return !(to instanceof Node && (e.currentTarget as Node).contains(to));
}

/** What a picker does with the keys of its filter field. */
export interface PickerKeys {
  /** Moves the active option down (1) or up (-1). */
  move(step: 1 | -1): void;
  /** Picks the active option. */
  pick(): void;
  close(): void;
}

/**
 * pickerKey handles a key typed in a picker's filter field: the arrow keys
 * move, Enter picks, Escape closes. No key leaves the picker: what is typed
 * there is the filter's, never the page's shortcuts.
 */
export function pickerKey(e: KeyboardEvent, on: PickerKeys): void {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    on.move(e.key === 'ArrowDown' ? 1 : -1);
  } else if (e.key === 'Enter') {
    e.preventDefault();
    on.pick();
  } else if (e.key === 'Escape') {
    e.preventDefault();
    on.close();
  }
  e.stopPropagation();
}
