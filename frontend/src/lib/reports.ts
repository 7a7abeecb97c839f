// What the Reports view computes from a report without the page: the date
// ranges of its presets (in local time, the days the Go side counts in),
// the check of a custom range, how durations and service-level shares read,
// the axes of its charts and the busiest-hours heatmap. The figures
// themselves come from the Go side (getReport); nothing here fetches.

import type { Report } from '../api/types';

/** A range of days, 'YYYY-MM-DD', both included: what getReport takes. */
export interface DayRange {
  from: string;
  to: string;
}

export type RangePreset = 'last7' | 'last30' | 'this-month' | 'last-month' | 'custom';

/** The presets in the order the picker lists them. */
export const PRESETS: ReadonlyArray<{ id: RangePreset; label: string }> = [
  { id: 'last7', label: 'Last 7 days' },
  { id: 'last30', label: 'Last 30 days' },
  { id: 'this-month', label: 'This month' },
  { id: 'last-month', label: 'Last month' },
  { id: 'custom', label: 'Custom' },
];

/** The preset the view opens with. */
export const DEFAULT_PRESET: RangePreset = 'last30';

/**
 * The longest range the Go side draws day by day (internal/report maxDays):
 * about three years.
 */
export const MAX_RANGE_DAYS = 1100;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** dayString is a local calendar day as 'YYYY-MM-DD'. */
export function dayString(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The local day (y, m from 0, d) as 'YYYY-MM-DD'; Date rolls days and months over (d 0 is the month before's last). */
function localDay(y: number, m: number, d: number): string {
  // Noon: some zones skip midnight on the day their clocks change.
  return dayString(new Date(y, m, d, 12));
}

/**
 * presetRange is the days a preset covers on the local day of now, today
 * included; null for 'custom', whose days the agent types.
 */
export function presetRange(preset: RangePreset, now: number): DayRange | null {
  const today = new Date(now);
  const [y, m, d] = [today.getFullYear(), today.getMonth(), today.getDate()];
  const to = localDay(y, m, d);
  switch (preset) {
    case 'last7':
      return { from: localDay(y, m, d - 6), to };
    case 'last30':
      return { from: localDay(y, m, d - 29), to };
    case 'this-month':
      return { from: localDay(y, m, 1), to };
    case 'last-month':
      // Day 0 of this month is the last day of the one before.
      return { from: localDay(y, m - 1, 1), to: localDay(y, m, 0) };
    case 'custom':
      return null;
  }
}

/** The parts of a 'YYYY-MM-DD' that names a real day; null otherwise (2024-02-30, 2024-6-1, ""). */
function parseDay(day: string): { y: number; m: number; d: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return { y, m, d };
}

/** isDay tells whether a string is a real day written 'YYYY-MM-DD'. */
export function isDay(day: string): boolean {
  return parseDay(day) !== null;
}

/** The days of a range, both included; 0 when either end is not a day. */
export function rangeDays(from: string, to: string): number {
  const a = parseDay(from);
  const b = parseDay(to);
  if (!a || !b) return 0;
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / DAY_MS) + 1;
}

/** dayLabel is 'Jun 3', or 'Jun 3, 2024' with the year. */
export function dayLabel(day: string, withYear = false): string {
  const p = parseDay(day);
  if (!p) return day;
  const label = `${MONTHS[p.m - 1]} ${p.d}`;
  return withYear ? `${label}, ${p.y}` : label;
}

/** rangeLabel names a range as a sentence does: 'Jun 1 – Jun 7, 2024', 'Dec 20, 2023 – Jan 5, 2024', 'Jun 3, 2024'. */
export function rangeLabel(from: string, to: string): string {
  if (from === to) return dayLabel(from, true);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${dayLabel(from, !sameYear)} – ${dayLabel(to, true)}`;
}

/**
 * validateRange checks the days the agent typed for Custom: the sentence
 * that says what is wrong and what to do, or '' when the range can be asked
 * for.
 */
export function validateRange(from: string, to: string): string {
  if (from === '' && to === '') return 'Pick the first and the last day of the range.';
  if (from === '') return 'Pick the first day of the range.';
  if (to === '') return 'Pick the last day of the range.';
  if (!isDay(from)) return `The first day "${from}" is not a date like 2024-06-01.`;
  if (!isDay(to)) return `The last day "${to}" is not a date like 2024-06-30.`;
  const days = rangeDays(from, to);
  if (days < 1) return `The first day (${dayLabel(from, true)}) is after the last (${dayLabel(to, true)}): swap them or pick other days.`;
  if (days > MAX_RANGE_DAYS) {
    return `That range has ${days.toLocaleString('en-US')} days: pick three years or less (${MAX_RANGE_DAYS.toLocaleString('en-US')} days at most).`;
  }
  return '';
}

/**
 * formatSeconds is a duration of a report: '45m', '3h 20m', '2d 4h', the
 * two largest units, rounded down; '<1m' under a minute; '—' for a
 * duration that is not one.
 */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  if (s < 60) return '<1m';
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest > 0 ? `${hours}h ${rest}m` : `${hours}h`;
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest > 0 ? `${days}d ${rest}h` : `${days}d`;
}

/** The clocks judged against a target: what Report's *_sla carry. */
export interface SLACount {
  met: number;
  breached: number;
}

/**
 * slaPercent is the share of clocks that met their target, '87%'; '—' when
 * none was judged. It never rounds to 100% while one was breached, nor to
 * 0% while one was met.
 */
export function slaPercent(c: SLACount): string {
  const total = c.met + c.breached;
  if (total <= 0) return '—';
  if (c.met === total) return '100%';
  if (c.met === 0) return '0%';
  return `${Math.min(99, Math.max(1, Math.round((c.met / total) * 100)))}%`;
}

/** slaSentence is '41 of 50 within target (82%)'; '' when no clock was judged. */
export function slaSentence(c: SLACount): string {
  const total = c.met + c.breached;
  if (total <= 0) return '';
  return `${c.met.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} within target (${slaPercent(c)})`;
}

/** An axis from 0: its top, the step between ticks and the ticks. */
export interface Scale {
  max: number;
  step: number;
  ticks: number[];
}

/**
 * niceScale is an axis from 0 that holds max in about `ticks` whole steps
 * of 1, 2 or 5 times a power of ten: 23 gives 0, 5, …, 25. Counts are
 * whole, so a step is never below 1; an empty chart gets 0 and 1.
 */
export function niceScale(max: number, ticks = 5): Scale {
  const top = Number.isFinite(max) && max > 0 ? max : 0;
  if (top === 0) return { max: 1, step: 1, ticks: [0, 1] };
  const rough = top / Math.max(1, ticks);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough) ?? 10 * power);
  const steps = Math.ceil(top / step);
  return { max: steps * step, step, ticks: Array.from({ length: steps + 1 }, (_, i) => i * step) };
}

/** labelEvery is how many bars share one date label so that at most `room` labels show. */
export function labelEvery(count: number, room: number): number {
  if (count <= 0) return 1;
  return Math.max(1, Math.ceil(count / Math.max(1, Math.floor(room))));
}

/** What one bar of the opened/closed chart covers: a day, a week or a month. */
export type BucketUnit = 'day' | 'week' | 'month';

export interface DayBucket {
  /** The axis label: 'Jun 3', or 'Jun 2024' for a month. */
  label: string;
  /** The table's label: 'Jun 3, 2024', 'Week of Jun 3, 2024', 'June 2024'. */
  long: string;
  from: string;
  to: string;
  opened: number;
  closed: number;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Ranges up to this many days get a bar a day; up to a year, a bar a week; longer, a bar a month. */
export const DAILY_UP_TO = 62;
export const WEEKLY_UP_TO = 366;

/** The Monday on or before a day, 'YYYY-MM-DD'. */
function mondayOf(day: string): string {
  const p = parseDay(day)!;
  const weekday = new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay();
  const back = (weekday + 6) % 7;
  const monday = new Date(Date.UTC(p.y, p.m - 1, p.d - back));
  return `${monday.getUTCFullYear()}-${pad(monday.getUTCMonth() + 1)}-${pad(monday.getUTCDate())}`;
}

/**
 * bucketDays groups a report's days into the bars of its chart: one a day
 * for short ranges, weeks (from Monday) up to a year, months beyond, so a
 * bar stays wide enough to see. Days that are not dates are left out.
 */
export function bucketDays(days: Report['days']): { unit: BucketUnit; buckets: DayBucket[] } {
  const valid = days.filter((d) => isDay(d.date));
  const unit: BucketUnit = valid.length <= DAILY_UP_TO ? 'day' : valid.length <= WEEKLY_UP_TO ? 'week' : 'month';
  const keyOf = (date: string) => (unit === 'day' ? date : unit === 'week' ? mondayOf(date) : date.slice(0, 7));
  const buckets: DayBucket[] = [];
  let key = '';
  for (const d of valid) {
    const k = keyOf(d.date);
    const last = buckets.at(-1);
    if (last && k === key) {
      last.to = d.date;
      last.opened += d.opened;
      last.closed += d.closed;
      continue;
    }
    key = k;
    buckets.push({ label: '', long: '', from: d.date, to: d.date, opened: d.opened, closed: d.closed });
  }
  for (const b of buckets) {
    const p = parseDay(b.from)!;
    if (unit === 'month') {
      b.label = `${MONTHS[p.m - 1]} ${p.y}`;
      b.long = `${MONTH_NAMES[p.m - 1]} ${p.y}`;
    } else {
      b.label = dayLabel(b.from);
      b.long = unit === 'week' ? `Week of ${dayLabel(b.from, true)}` : dayLabel(b.from, true);
    }
  }
  return { unit, buckets };
}

/** The weekdays as the heatmap shows them, Monday first; index is Report.busiest_hours's (0 = Sunday). */
export const WEEKDAYS: ReadonlyArray<{ index: number; name: string; short: string }> = [
  { index: 1, name: 'Monday', short: 'Mon' },
  { index: 2, name: 'Tuesday', short: 'Tue' },
  { index: 3, name: 'Wednesday', short: 'Wed' },
  { index: 4, name: 'Thursday', short: 'Thu' },
  { index: 5, name: 'Friday', short: 'Fri' },
  { index: 6, name: 'Saturday', short: 'Sat' },
  { index: 0, name: 'Sunday', short: 'Sun' },
];

/** How many shades of the heatmap are above none. */
export const HEAT_LEVELS = 4;

/** heatLevel shades a count against the busiest hour: 0 for none, then 1 to 4 by quarters of max. */
export function heatLevel(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.min(HEAT_LEVELS, Math.max(1, Math.ceil((value / max) * HEAT_LEVELS)));
}

/** hourLabel is '14:00–15:00'; the last hour ends at 00:00. */
export function hourLabel(hour: number): string {
  return `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;
}

export interface HeatRow {
  name: string;
  short: string;
  hours: Array<{ hour: number; count: number; level: number }>;
}

/** A count the Go side sent, or 0 for a missing or broken one. */
function at(busiest: readonly (readonly number[])[], weekday: number, hour: number): number {
  const v = busiest[weekday]?.[hour];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * heatRows lays busiest_hours ([weekday, 0 = Sunday][hour]) out as the
 * heatmap draws it: seven rows from Monday, 24 hours each, shaded against
 * the busiest hour. Missing weekdays or hours count as 0.
 */
export function heatRows(busiest: readonly (readonly number[])[]): { rows: HeatRow[]; max: number; total: number } {
  let max = 0;
  let total = 0;
  for (const w of WEEKDAYS) {
    for (let h = 0; h < 24; h++) {
      const v = at(busiest, w.index, h);
      max = Math.max(max, v);
      total += v;
    }
  }
  const rows = WEEKDAYS.map((w) => ({
    name: w.name,
    short: w.short,
    hours: Array.from({ length: 24 }, (_, hour) => {
      const count = at(busiest, w.index, hour);
      return { hour, count, level: heatLevel(count, max) };
    }),
  }));
  return { rows, max, total };
}

const messages = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'message' : 'messages'}`;

/**
 * peakSentence names the busiest hour: 'Busiest: Tuesday 14:00–15:00, 23
 * messages'. A tie goes to the earlier one in the week from Monday. Without
 * any message it says so.
 */
export function peakSentence(busiest: readonly (readonly number[])[]): string {
  let best: { name: string; hour: number; count: number } | null = null;
  for (const w of WEEKDAYS) {
    for (let h = 0; h < 24; h++) {
      const count = at(busiest, w.index, h);
      if (count > (best?.count ?? 0)) best = { name: w.name, hour: h, count };
    }
  }
  if (!best) return 'No customer messages in this range.';
  return `Busiest: ${best.name} ${hourLabel(best.hour)}, ${messages(best.count)}`;
}

/** agentsByReplies is the agents with replies, most first, then by name. */
export function agentsByReplies(list: Report['replies_by_agent']): Report['replies_by_agent'] {
  return list.filter((a) => a.replies > 0).sort((a, b) => b.replies - a.replies || a.agent.localeCompare(b.agent));
}

/** isEmptyReport tells a range where nothing happened: no ticket opened or closed, no reply, no customer message. */
export function isEmptyReport(r: Report): boolean {
  return (
    r.opened === 0 &&
    r.closed === 0 &&
    r.unanswered === 0 &&
    r.replies_by_agent.every((a) => !(a.replies > 0)) &&
    heatRows(r.busiest_hours).total === 0
  );
}

/** measuredLine says how the report's times are measured: business hours of a calendar, or wall-clock time. */
export function measuredLine(calendar: string, projectId: number): string {
  if (calendar.trim() !== '') return `Business hours: ${calendar.trim()}`;
  return projectId === 0 ? 'Wall-clock time — pick a project to count its business hours' : 'Wall-clock time';
}

/** truncate shortens a label to n characters with an ellipsis. */
export function truncate(label: string, n: number): string {
  const max = Math.max(2, Math.floor(n));
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}
