import { describe, expect, it } from 'vitest';
import type { Report } from '../api/types';
import {
  agentsByReplies,
  bucketDays,
  dayString,
  formatSeconds,
  heatLevel,
  heatRows,
  isEmptyReport,
  labelEvery,
  measuredLine,
  niceScale,
  peakSentence,
  presetRange,
  rangeDays,
  rangeLabel,
  slaPercent,
  slaSentence,
  truncate,
  validateRange,
} from './reports';

/** A local time: the presets count days where the agent is. */
const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();

/** busiest_hours with the given [weekday (0 = Sunday), hour, count] set. */
function busiest(...cells: Array<[number, number, number]>): number[][] {
  const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const [w, h, n] of cells) grid[w]![h] = n;
  return grid;
}

/** Consecutive days from `from` with the given opened counts. */
function days(from: string, opened: number[]): Report['days'] {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  return opened.map((n, i) => ({ date: dayString(new Date(y, m - 1, d + i, 12)), opened: n, closed: 0 }));
}

describe('presetRange', () => {
  it.each([
    ['last7', { from: '2024-06-09', to: '2024-06-15' }],
    ['last30', { from: '2024-05-17', to: '2024-06-15' }],
    ['this-month', { from: '2024-06-01', to: '2024-06-15' }],
    ['last-month', { from: '2024-05-01', to: '2024-05-31' }],
  ] as const)('%s on Jun 15, 2024 covers %o, today included', (preset, want) => {
    expect(presetRange(preset, local(2024, 6, 15))).toEqual(want);
    expect(rangeDays(want.from, want.to)).toBe(preset === 'last7' ? 7 : preset === 'last30' ? 30 : preset === 'this-month' ? 15 : 31);
  });

  it('counts in local time: the last minutes of a day are still that day', () => {
    expect(presetRange('last7', local(2024, 6, 15, 23, 59))).toEqual({ from: '2024-06-09', to: '2024-06-15' });
    expect(presetRange('last7', local(2024, 6, 16, 0, 1))).toEqual({ from: '2024-06-10', to: '2024-06-16' });
  });

  it('crosses months and years, and knows February in a leap year', () => {
    expect(presetRange('last7', local(2024, 1, 3))).toEqual({ from: '2023-12-28', to: '2024-01-03' });
    expect(presetRange('last-month', local(2024, 1, 3))).toEqual({ from: '2023-12-01', to: '2023-12-31' });
    expect(presetRange('last-month', local(2024, 3, 31))).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(presetRange('last-month', local(2023, 3, 31))).toEqual({ from: '2023-02-01', to: '2023-02-28' });
    expect(presetRange('this-month', local(2024, 3, 1))).toEqual({ from: '2024-03-01', to: '2024-03-01' });
  });

  it('leaves Custom to the agent', () => {
    expect(presetRange('custom', local(2024, 6, 15))).toBeNull();
  });
});

describe('validateRange', () => {
  it('accepts a range of one day up to about three years', () => {
    expect(validateRange('2024-06-01', '2024-06-01')).toBe('');
    expect(validateRange('2024-06-01', '2024-06-30')).toBe('');
    expect(validateRange('2022-01-01', '2024-12-31')).toBe('');
  });

  it('says when the first day comes after the last', () => {
    expect(validateRange('2024-06-20', '2024-06-10')).toBe('The first day (Jun 20, 2024) is after the last (Jun 10, 2024): swap them or pick other days.');
  });

  it('says which day is missing or not a date', () => {
    expect(validateRange('', '')).toBe('Pick the first and the last day of the range.');
    expect(validateRange('', '2024-06-10')).toBe('Pick the first day of the range.');
    expect(validateRange('2024-06-10', '')).toBe('Pick the last day of the range.');
    expect(validateRange('2024-02-30', '2024-03-10')).toBe('The first day "2024-02-30" is not a date like 2024-06-01.');
    expect(validateRange('2024-06-01', '10/06/2024')).toBe('The last day "10/06/2024" is not a date like 2024-06-30.');
  });

  it('refuses more than about three years', () => {
    expect(validateRange('2020-01-01', '2024-06-30')).toMatch(/^That range has 1,643 days: pick three years or less/);
  });
});

describe('rangeLabel', () => {
  it('gives the year once, or on both ends across years', () => {
    expect(rangeLabel('2024-06-01', '2024-06-07')).toBe('Jun 1 – Jun 7, 2024');
    expect(rangeLabel('2023-12-20', '2024-01-05')).toBe('Dec 20, 2023 – Jan 5, 2024');
    expect(rangeLabel('2024-06-03', '2024-06-03')).toBe('Jun 3, 2024');
  });
});

describe('formatSeconds', () => {
  it.each([
    [0, '<1m'],
    [59, '<1m'],
    [60, '1m'],
    [45 * 60, '45m'],
    [59 * 60 + 59, '59m'],
    [3600, '1h'],
    [3 * 3600 + 20 * 60, '3h 20m'],
    [23 * 3600 + 59 * 60, '23h 59m'],
    [24 * 3600, '1d'],
    [2 * 86400 + 4 * 3600 + 59 * 60, '2d 4h'],
    [40 * 86400, '40d'],
  ])('%d s is %s', (s, want) => {
    expect(formatSeconds(s)).toBe(want);
  });

  it('gives a dash for what is not a duration', () => {
    expect(formatSeconds(-1)).toBe('—');
    expect(formatSeconds(Number.NaN)).toBe('—');
    expect(formatSeconds(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('service-level share', () => {
  it('is met / (met + breached), a dash when nothing was judged', () => {
    expect(slaPercent({ met: 41, breached: 9 })).toBe('82%');
    expect(slaPercent({ met: 3, breached: 0 })).toBe('100%');
    expect(slaPercent({ met: 0, breached: 4 })).toBe('0%');
    expect(slaPercent({ met: 0, breached: 0 })).toBe('—');
  });

  it('never rounds a breach away, nor a met clock', () => {
    expect(slaPercent({ met: 999, breached: 1 })).toBe('99%');
    expect(slaPercent({ met: 1, breached: 999 })).toBe('1%');
  });

  it('reads as "N of M within target (X%)", or nothing', () => {
    expect(slaSentence({ met: 41, breached: 9 })).toBe('41 of 50 within target (82%)');
    expect(slaSentence({ met: 1200, breached: 300 })).toBe('1,200 of 1,500 within target (80%)');
    expect(slaSentence({ met: 0, breached: 0 })).toBe('');
  });
});

describe('niceScale', () => {
  it.each([
    [23, 25, 5],
    [3, 3, 1],
    [10, 10, 2],
    [100, 100, 20],
    [101, 150, 50],
    [0.4, 1, 1],
    [7, 8, 2],
  ])('holds %d in a top of %d with steps of %d', (max, top, step) => {
    const s = niceScale(max);
    expect(s.max).toBe(top);
    expect(s.step).toBe(step);
    expect(s.ticks[0]).toBe(0);
    expect(s.ticks.at(-1)).toBe(top);
    expect(s.ticks.every((t, i) => t === i * step)).toBe(true);
  });

  it('gives an empty chart an axis of 0 to 1', () => {
    expect(niceScale(0)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
    expect(niceScale(Number.NaN)).toEqual({ max: 1, step: 1, ticks: [0, 1] });
  });

  it('has 0, 5, 10, … for 23', () => {
    expect(niceScale(23).ticks).toEqual([0, 5, 10, 15, 20, 25]);
  });
});

describe('labelEvery', () => {
  it('thins date labels to the room there is', () => {
    expect(labelEvery(7, 10)).toBe(1);
    expect(labelEvery(30, 10)).toBe(3);
    expect(labelEvery(31, 10)).toBe(4);
    expect(labelEvery(30, 0)).toBe(30);
    expect(labelEvery(0, 10)).toBe(1);
  });
});

describe('bucketDays', () => {
  it('keeps one bar a day for a month', () => {
    const { unit, buckets } = bucketDays(days('2024-06-01', [1, 2, 3]));
    expect(unit).toBe('day');
    expect(buckets.map((b) => [b.label, b.long, b.opened])).toEqual([
      ['Jun 1', 'Jun 1, 2024', 1],
      ['Jun 2', 'Jun 2, 2024', 2],
      ['Jun 3', 'Jun 3, 2024', 3],
    ]);
  });

  it('sums weeks from Monday for ranges up to a year', () => {
    // Saturday Jun 1, 2024 to Friday Aug 30: 91 days.
    const input = days('2024-06-01', Array.from({ length: 91 }, () => 1));
    const { unit, buckets } = bucketDays(input);
    expect(unit).toBe('week');
    expect(buckets[0]).toMatchObject({ from: '2024-06-01', to: '2024-06-02', opened: 2, long: 'Week of Jun 1, 2024' });
    expect(buckets[1]).toMatchObject({ from: '2024-06-03', to: '2024-06-09', opened: 7, label: 'Jun 3' });
    expect(buckets.reduce((n, b) => n + b.opened, 0)).toBe(91);
  });

  it('sums months beyond a year', () => {
    const input = days('2023-01-15', Array.from({ length: 400 }, () => 1));
    const { unit, buckets } = bucketDays(input);
    expect(unit).toBe('month');
    expect(buckets[0]).toMatchObject({ label: 'Jan 2023', long: 'January 2023', opened: 17 });
    expect(buckets[1]).toMatchObject({ label: 'Feb 2023', opened: 28 });
    expect(buckets.reduce((n, b) => n + b.opened, 0)).toBe(400);
  });
});

describe('the busiest-hours heatmap', () => {
  it('shades by quarters of the busiest hour, 0 for none', () => {
    expect([0, 1, 5, 6, 10, 11, 15, 16, 20].map((v) => heatLevel(v, 20))).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(heatLevel(3, 0)).toBe(0);
    expect(heatLevel(-2, 10)).toBe(0);
  });

  it('lays the weekdays out from Monday, reading [0] as Sunday', () => {
    const { rows, max, total } = heatRows(busiest([0, 9, 4], [1, 14, 8], [2, 3, 2]));
    expect(rows.map((r) => r.short)).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(rows[0]!.hours[14]).toEqual({ hour: 14, count: 8, level: 4 });
    expect(rows[6]!.hours[9]).toEqual({ hour: 9, count: 4, level: 2 });
    expect(rows[1]!.hours[3]).toEqual({ hour: 3, count: 2, level: 1 });
    expect(rows.every((r) => r.hours.length === 24)).toBe(true);
    expect([max, total]).toEqual([8, 14]);
  });

  it('counts missing weekdays and hours as none', () => {
    const { rows, total } = heatRows([[], [0, 2]]);
    expect(rows).toHaveLength(7);
    expect(rows[0]!.hours[1]!.count).toBe(2);
    expect(total).toBe(2);
    expect(heatRows([]).total).toBe(0);
  });

  it('names the busiest hour', () => {
    expect(peakSentence(busiest([2, 14, 23], [1, 9, 5]))).toBe('Busiest: Tuesday 14:00–15:00, 23 messages');
    expect(peakSentence(busiest([0, 23, 1]))).toBe('Busiest: Sunday 23:00–00:00, 1 message');
    expect(peakSentence([])).toBe('No customer messages in this range.');
  });

  it('gives a tie to the earlier hour of the week from Monday', () => {
    expect(peakSentence(busiest([0, 8, 5], [3, 10, 5], [3, 9, 5]))).toBe('Busiest: Wednesday 09:00–10:00, 5 messages');
  });
});

describe('agentsByReplies', () => {
  it('puts the most replies first, then names, and leaves out agents without any', () => {
    const list = [
      { agent: 'bob', replies: 3 },
      { agent: 'zoe', replies: 9 },
      { agent: 'amy', replies: 3 },
      { agent: 'ned', replies: 0 },
    ];
    expect(agentsByReplies(list).map((a) => a.agent)).toEqual(['zoe', 'amy', 'bob']);
    expect(list[0]!.agent).toBe('bob');
  });
});

describe('isEmptyReport', () => {
  const empty: Report = {
    from: '2024-06-01',
    to: '2024-06-07',
    opened: 0,
    closed: 0,
    unanswered: 0,
    first_response: { count: 0, median_s: 0, mean_s: 0, p90_s: 0 },
    resolution: { count: 0, median_s: 0, mean_s: 0, p90_s: 0 },
    replies_by_agent: [],
    busiest_hours: busiest(),
    days: days('2024-06-01', [0, 0, 0, 0, 0, 0, 0]),
    calendar: '',
    first_response_sla: { met: 0, breached: 0 },
    resolution_sla: { met: 0, breached: 0 },
  };

  it('is a range without tickets, replies or customer messages', () => {
    expect(isEmptyReport(empty)).toBe(true);
    expect(isEmptyReport({ ...empty, closed: 1 })).toBe(false);
    expect(isEmptyReport({ ...empty, replies_by_agent: [{ agent: 'bob', replies: 1 }] })).toBe(false);
    expect(isEmptyReport({ ...empty, busiest_hours: busiest([1, 1, 1]) })).toBe(false);
  });
});

describe('measuredLine', () => {
  it('names the calendar, or says wall-clock and how to get business hours', () => {
    expect(measuredLine('Mon–Fri 09:00–17:00 Europe/Berlin', 7)).toBe('Business hours: Mon–Fri 09:00–17:00 Europe/Berlin');
    expect(measuredLine('', 7)).toBe('Wall-clock time');
    expect(measuredLine('', 0)).toBe('Wall-clock time — pick a project to count its business hours');
  });
});

describe('truncate', () => {
  it('shortens long labels with an ellipsis', () => {
    expect(truncate('alex.morgan', 20)).toBe('alex.morgan');
    expect(truncate('alexandra.morgan-smith', 10)).toBe('alexandra…');
  });
});
