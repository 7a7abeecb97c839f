import { describe, expect, it } from 'vitest';
import { ageShort, formatDateTime, formatDuration, parseTime, syncLabel, timeAgo } from './time';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('parseTime', () => {
  it('reads RFC 3339 and rejects empty or garbage input', () => {
    expect(parseTime('2024-06-15T12:00:00Z')).toBe(NOW);
    expect(parseTime('2024-06-15T14:00:00+02:00')).toBe(NOW);
    expect(parseTime('')).toBeNull();
    expect(parseTime('yesterday-ish')).toBeNull();
  });
});

describe('ageShort (ticket list)', () => {
  it.each([
    [0, 'now'],
    [59 * 1000, 'now'],
    [MIN, '1m'],
    [59 * MIN, '59m'],
    [HOUR, '1h'],
    [23 * HOUR + 59 * MIN, '23h'],
    [DAY, '1d'],
    [6 * DAY, '6d'],
  ])('%d ms ago is %s', (ms, want) => {
    expect(ageShort(ago(ms), NOW)).toBe(want);
  });

  it('shows the date after a week, with the year only when it differs', () => {
    expect(ageShort('2024-03-05T12:00:00Z', NOW)).toBe('Mar 5');
    expect(ageShort('2023-12-24T12:00:00Z', NOW)).toBe('Dec 24, 2023');
  });

  it('treats a time in the future (clock skew) as now and unknown times as blank', () => {
    expect(ageShort(new Date(NOW + 5 * MIN).toISOString(), NOW)).toBe('now');
    expect(ageShort('', NOW)).toBe('');
  });
});

describe('timeAgo (status bar, thread)', () => {
  it.each([
    [10 * 1000, 'just now'],
    [50 * 1000, '1 min ago'],
    [2 * MIN, '2 min ago'],
    [3 * HOUR, '3 h ago'],
    [30 * HOUR, 'yesterday'],
    [4 * DAY, '4 days ago'],
  ])('%d ms ago is %s', (ms, want) => {
    expect(timeAgo(ago(ms), NOW)).toBe(want);
  });

  it('gives the date for older times', () => {
    expect(timeAgo('2024-01-02T12:00:00Z', NOW)).toBe('on Jan 2');
  });
});

describe('syncLabel', () => {
  it('says Syncing… while a sync runs, whatever the last time', () => {
    expect(syncLabel({ syncing: true, last_sync_at: ago(2 * MIN) }, NOW)).toBe('Syncing…');
  });
  it('says how long ago the last sync was', () => {
    expect(syncLabel({ syncing: false, last_sync_at: ago(2 * MIN) }, NOW)).toBe('Synced 2 min ago');
  });
  it('says so before the first sync', () => {
    expect(syncLabel({ syncing: false, last_sync_at: '' }, NOW)).toBe('Not synced yet');
  });
});

describe('formatDateTime', () => {
  it('formats local time with a zero-padded clock', () => {
    const d = new Date(2024, 2, 5, 9, 7); // local time
    expect(formatDateTime(d.toISOString())).toBe('Mar 5, 2024, 09:07');
    expect(formatDateTime('')).toBe('');
  });
});

describe('formatDuration', () => {
  const MIN = 60_000;
  const H = 60 * MIN;
  const D = 24 * H;

  it('states a span in its two largest units, hours dropped from three days on', () => {
    expect(formatDuration(20_000)).toBe('under 1 min');
    expect(formatDuration(45 * MIN + 59_000)).toBe('45 min');
    expect(formatDuration(2 * H)).toBe('2 h');
    expect(formatDuration(2 * H + 10 * MIN)).toBe('2 h 10 min');
    expect(formatDuration(D + 5 * H + 30 * MIN)).toBe('1 d 5 h');
    expect(formatDuration(2 * D)).toBe('2 d');
    expect(formatDuration(3 * D + 23 * H)).toBe('3 d');
    expect(formatDuration(45 * D)).toBe('45 d');
  });

  it('gives nothing for a negative or unknown span', () => {
    expect(formatDuration(-1)).toBe('');
    expect(formatDuration(Number.NaN)).toBe('');
  });
});
