// The keyboard shortcuts, as pure functions of the key events so they can be
// tested without a browser: single keys (keyAction), the two-key jumps to a
// view (goSequence), and the list the shortcuts dialog shows (SHORTCUTS).

/**
 * What a key press asks the page to do: the list's actions (next, prev,
 * open, search), the open ticket's (reply, note, close, assign, label,
 * macros), and the window's (help: the shortcuts dialog).
 */
export type KeyAction =
  | 'next'
  | 'prev'
  | 'open'
  | 'search'
  | 'reply'
  | 'note'
  | 'close'
  | 'assign'
  | 'label'
  | 'macros'
  | 'help'
  | null;

/** The parts of a keydown the shortcuts look at. */
export type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>;

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
 * open ticket, e closes it, a and l change its assignee and labels, m
 * applies one of the team's macros (g m, a jump, never gets here: App
 * takes both keys); ? lists the shortcuts. Keys typed into a field and keys
 * with Ctrl, Alt or Meta are left alone.
 */
export function keyAction(e: KeyPress, listHasFocus = false): KeyAction {
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
    case 'm':
      return 'macros';
    case '?':
      return 'help';
    default:
      return null;
  }
}

/** Where a "g then a letter" jump goes: a view's tickets, or the outbox. */
export type Jump = { kind: 'view'; view: string } | { kind: 'outbox' } | { kind: 'reports' };

/** The jumps: the letter typed after g, what it goes to and its name. */
export const JUMPS: ReadonlyArray<{ key: string; label: string; jump: Jump }> = [
  { key: 'n', label: 'Needs reply', jump: { kind: 'view', view: 'needs_reply' } },
  { key: 's', label: 'Breach soon', jump: { kind: 'view', view: 'soon' } },
  { key: 'l', label: 'Breached (late)', jump: { kind: 'view', view: 'breached' } },
  { key: 'w', label: 'Waiting on customer', jump: { kind: 'view', view: 'waiting' } },
  { key: 'u', label: 'Unassigned', jump: { kind: 'view', view: 'unassigned' } },
  { key: 'm', label: 'Mine', jump: { kind: 'view', view: 'mine' } },
  { key: 'o', label: 'All open', jump: { kind: 'view', view: 'open' } },
  { key: 'c', label: 'Closed', jump: { kind: 'view', view: 'closed' } },
  { key: 'a', label: 'All', jump: { kind: 'view', view: 'all' } },
  { key: 'x', label: 'Mail without a ticket', jump: { kind: 'view', view: 'unlinked' } },
  { key: 'b', label: 'Outbox', jump: { kind: 'outbox' } },
  { key: 'r', label: 'Reports', jump: { kind: 'reports' } },
];

/** How long a pressed g waits for its letter. */
export const GO_TIMEOUT_MS = 1500;

/** When the g that waits for a letter was pressed (ms), or null when none waits. */
export type GoPending = number | null;

/** What a key did to a "g then a letter" jump. */
export interface GoStep {
  /** The g still waiting after this key. */
  pending: GoPending;
  /** Where to go: this key was the letter of a jump. */
  jump: Jump | null;
  /** The key was part of a jump: no other shortcut may act on it. */
  consumed: boolean;
}

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

/**
 * goSequence is the two-key jump as a state machine: g starts it, and a
 * letter of JUMPS typed within GO_TIMEOUT_MS completes it. Any other key, a
 * key with Ctrl, Alt or Meta, or a key typed into a field ends a waiting g
 * and keeps its own meaning. A second g starts the wait again.
 */
export function goSequence(pending: GoPending, e: KeyPress, now: number): GoStep {
  if (MODIFIER_KEYS.has(e.key)) return { pending, jump: null, consumed: false };
  if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return { pending: null, jump: null, consumed: false };
  if (e.key === 'g') return { pending: now, jump: null, consumed: true };
  const waiting = pending !== null && now >= pending && now - pending <= GO_TIMEOUT_MS;
  if (!waiting) return { pending: null, jump: null, consumed: false };
  const match = JUMPS.find((j) => j.key === e.key);
  return { pending: null, jump: match?.jump ?? null, consumed: match !== undefined };
}

/** One line of the shortcuts dialog. */
export interface Shortcut {
  /** The ways to type it, each a list of presses one after the other; "Ctrl+Enter" is one press. */
  keys: string[][];
  label: string;
}

/** The shortcuts dialog's content: every key this page answers, by where it acts. */
export function shortcuts(mac: boolean): Array<{ title: string; items: Shortcut[] }> {
  const mod = mac ? '⌘' : 'Ctrl';
  return [
    {
      title: 'Ticket list',
      items: [
        { keys: [['j'], ['↓']], label: 'Next ticket' },
        { keys: [['k'], ['↑']], label: 'Previous ticket' },
        { keys: [['Enter']], label: 'Open the ticket' },
        { keys: [['/']], label: 'Search' },
        // The list's own keys (ListPane: checks for a change to many tickets, unread marks).
        { keys: [['x']], label: 'Check or uncheck the ticket' },
        { keys: [['u']], label: 'Mark the ticket unread' },
      ],
    },
    {
      title: 'Open ticket',
      items: [
        { keys: [['r']], label: 'Write a reply' },
        { keys: [['i']], label: 'Write an internal note' },
        { keys: [[`${mod}+Enter`]], label: 'Send' },
        { keys: [['e']], label: 'Close the ticket' },
        { keys: [['a']], label: 'Change the assignee' },
        { keys: [['l']], label: 'Change the labels' },
        { keys: [['m']], label: 'Apply a macro' },
      ],
    },
    {
      title: 'Go to',
      items: JUMPS.map((j) => ({ keys: [['g', j.key]], label: j.label })),
    },
    {
      title: 'Window',
      items: [
        { keys: [['?']], label: 'Show these shortcuts' },
        { keys: [[`${mod}+,`]], label: 'Accounts' },
        { keys: [['Esc']], label: 'Close a dialog, leave a field, clear the checks' },
      ],
    },
  ];
}
