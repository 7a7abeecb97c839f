// What the ticket view's customer panel says about a ticket and who wrote
// it: how long it has been open, how fast we answered, and how to name the
// customer. Pure functions of the ticket and the clock.

import type { Customer, Ticket } from '../api/types';
import { formatDuration, parseTime } from './time';

/** How long a ticket has been (or was) open, as a sentence: "Open for 3 d", "Closed after 2 h". */
export function openFor(t: Pick<Ticket, 'state' | 'created_at' | 'closed_at'>, now: number): string {
  const created = parseTime(t.created_at);
  if (t.state === 'closed') {
    const closed = parseTime(t.closed_at);
    if (created === null || closed === null) return 'Closed';
    return `Closed after ${formatDuration(Math.max(0, closed - created))}`;
  }
  if (created === null) return 'Open';
  return `Open for ${formatDuration(Math.max(0, now - created))}`;
}

/** How fast we first answered in public; waiting is set while the customer still waits for it. */
export interface FirstResponse {
  text: string;
  waiting: boolean;
}

/**
 * firstResponse says when we first answered in public: "First response:
 * 2 h 10 min" after the answer; "No response yet · waiting 5 h" on an open
 * ticket without one; "Closed without a public response" on a closed one.
 */
export function firstResponse(t: Pick<Ticket, 'state' | 'created_at' | 'first_response_at'>, now: number): FirstResponse {
  const created = parseTime(t.created_at);
  const answered = parseTime(t.first_response_at);
  if (answered !== null) {
    if (created === null) return { text: 'Answered', waiting: false };
    return { text: `First response: ${formatDuration(Math.max(0, answered - created))}`, waiting: false };
  }
  if (t.state === 'closed') return { text: 'Closed without a public response', waiting: false };
  if (created === null) return { text: 'No response yet', waiting: true };
  return { text: `No response yet · waiting ${formatDuration(Math.max(0, now - created))}`, waiting: true };
}

/** customerName is how the panel names the customer: their name, else their address, else the ticket's customer. */
export function customerName(c: Customer, fallback: string): string {
  return c.name.trim() || c.email || fallback || 'Unknown customer';
}

/** initials are up to two letters for the customer's avatar: "Hannah Schmidt" is "HS", "ann@x.com" is "A". */
export function initials(name: string): string {
  const words = name
    .replace(/@.*$/, '')
    .split(/[\s._-]+/)
    .filter((w) => /\p{L}|\p{N}/u.test(w));
  if (words.length === 0) return '?';
  const first = [...words[0]!][0] ?? '';
  const last = words.length > 1 ? ([...words[words.length - 1]!][0] ?? '') : '';
  // A bare address ("ann.lee@…") gives one letter: its parts need not be names.
  return (name.includes('@') ? first : first + last).toUpperCase();
}
