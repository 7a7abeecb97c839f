// How the window shows service-level clocks: a row's badge (the clock due
// first, judged against the window's own clock so a row turns amber and red
// without a reload) and the ticket panel's two clocks.

import type { SLAClock, SLADue, TicketSLA } from '../api/types';
import { formatDateTime, formatDuration, parseTime } from './time';

export type DueState = 'ok' | 'soon' | 'breached';

/** dueState is where a running clock stands at now: breached from its due time, soon from its warning. */
export function dueState(d: SLADue, now: number): DueState {
  const due = parseTime(d.due_at);
  const soon = parseTime(d.soon_at);
  if (due !== null && now >= due) return 'breached';
  if (soon !== null && now >= soon) return 'soon';
  return 'ok';
}

/** clockName names a clock as agents say it. */
export function clockName(clock: string): string {
  return clock === 'resolution' ? 'Resolution' : 'First response';
}

/** A row's badge: "Reply in 3h", "Resolve in 2d", "Reply 40m late". */
export interface DueBadge {
  state: DueState;
  label: string;
  /** The exact due time, for the tooltip and screen readers. */
  title: string;
}

/** compact is a span as a row fits it: 25m, 3h, 4d. */
function compact(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** dueBadge is the row's badge for its first running clock; null when none runs. */
export function dueBadge(d: SLADue | null | undefined, now: number): DueBadge | null {
  if (!d) return null;
  const due = parseTime(d.due_at);
  if (due === null) return null;
  const state = dueState(d, now);
  const verb = d.clock === 'resolution' ? 'Resolve' : 'Reply';
  const label = state === 'breached' ? `${verb} ${compact(now - due)} late` : `${verb} in ${compact(due - now)}`;
  const when = formatDateTime(d.due_at);
  const title =
    state === 'breached'
      ? `${clockName(d.clock)} target breached: it was due ${when}`
      : `${clockName(d.clock)} due ${when}${state === 'soon' ? ' (soon)' : ''}`;
  return { state, label, title };
}

/** A ticket panel's line for one clock. */
export interface ClockLine {
  /** none, met, paused, ok, soon or breached. */
  state: string;
  /** What follows the state: "45 min of 4 h" (met), "due Nov 26, 16:40, in 1 h 20 min", "2 h over" (breached). */
  text: string;
  title: string;
}

/** seconds as the panel's durations: business time. */
function span(s: number): string {
  return formatDuration(Math.max(0, s) * 1000);
}

/**
 * clockLine says how one clock stands. A running clock is judged again at
 * now against its warning and due time, so the panel turns amber and red
 * on time as the list does; its countdown is wall-clock time to the due
 * time. Target, elapsed and late are business time as the Go side counted
 * them when the ticket was read.
 */
export function clockLine(k: SLAClock, now: number): ClockLine {
  const due = parseTime(k.due_at);
  const soon = parseTime(k.soon_at);
  let state = k.state;
  if (state === 'ok' || state === 'soon') {
    if (due !== null && now >= due) state = 'breached';
    else if (soon !== null && now >= soon) state = 'soon';
  }
  const target = span(k.target_s);
  switch (state) {
    case 'none':
      return { state, text: 'No target', title: 'The policy sets no target for this ticket' };
    case 'met':
      return {
        state,
        text: `${span(k.elapsed_s)} of ${target}`,
        title: k.achieved_at ? `Stopped ${formatDateTime(k.achieved_at)}` : '',
      };
    case 'paused':
      return { state, text: `${span(k.left_s)} of ${target} left`, title: 'Waiting on the customer: the clock runs again when they write' };
    case 'breached': {
      if (k.achieved_at !== '') {
        return { state, text: `${span(k.late_s)} over`, title: `Target ${target}; stopped ${formatDateTime(k.achieved_at)}` };
      }
      return {
        state,
        text: due !== null ? `due ${formatDateTime(k.due_at)}, ${formatDuration(now - due)} ago` : `${target} target`,
        title: `Target ${target} of business time`,
      };
    }
    default:
      return {
        state,
        text: due !== null ? `due ${formatDateTime(k.due_at)}, in ${formatDuration(due - now)}` : `${target} target`,
        title: `Target ${target} of business time${soon !== null ? `; soon from ${formatDateTime(k.soon_at)}` : ''}`,
      };
  }
}

/**
 * ticketBadge is the ticket panel's summary: the badge of its running clock
 * due first (as a list row shows it), or null when none runs.
 */
export function ticketBadge(s: TicketSLA | null | undefined, now: number): DueBadge | null {
  if (!s) return null;
  let first: { clock: string; k: SLAClock; due: number } | null = null;
  for (const [clock, k] of [
    ['first_response', s.first_response],
    ['resolution', s.resolution],
  ] as const) {
    const due = parseTime(k.due_at);
    const running = k.achieved_at === '' && (k.state === 'ok' || k.state === 'soon' || k.state === 'breached');
    if (running && due !== null && (first === null || due < first.due)) first = { clock, k, due };
  }
  return first === null ? null : dueBadge({ clock: first.clock, soon_at: first.k.soon_at, due_at: first.k.due_at }, now);
}
