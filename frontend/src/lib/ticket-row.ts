// What a row of the ticket list says besides the ticket's own fields: how
// long the customer has waited for an answer, and which time the row shows
// (the one the list is sorted by).

import type { TicketRow, TicketSort } from '../api/types';
import { ageShort, parseTime } from './time';

/** A wait longer than this is late: the row says so louder. */
export const LATE_MS = 24 * 60 * 60 * 1000;

/** waiting is the row's "waiting 3h" (or "waiting since Mar 5"), late past a day; null when nobody waits. */
export function waiting(since: string, now: number): { label: string; late: boolean } | null {
  const t = parseTime(since);
  if (t === null) return null;
  const age = ageShort(since, now);
  const label = /^\d+[mhd]$/.test(age) ? `waiting ${age}` : age === 'now' ? 'waiting now' : `waiting since ${age}`;
  return { label, late: now - t > LATE_MS };
}

/** rowTime is the time a row shows: its creation when the list is sorted by it, else its last activity. */
export function rowTime(row: TicketRow, sort: TicketSort): { at: string; what: string } {
  if (sort === 'created' || sort === 'oldest') return { at: row.created_at, what: 'Created' };
  return { at: row.last_activity_at || row.updated_at || row.created_at, what: 'Last activity' };
}
