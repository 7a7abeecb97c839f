import { describe, expect, it } from 'vitest';
import { clockLine, dueBadge, dueState, ticketBadge } from './sla';
import type { SLAClock } from '../api/types';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60000).toISOString();

describe('dueState', () => {
  it('turns soon at the warning and breached at the due time', () => {
    const d = { clock: 'first_response', soon_at: at(-1), due_at: at(30) };
    expect(dueState(d, NOW - 2 * 60000)).toBe('ok');
    expect(dueState(d, NOW)).toBe('soon');
    expect(dueState(d, NOW + 30 * 60000)).toBe('breached');
  });

  it('has no soon without a warning', () => {
    expect(dueState({ clock: 'resolution', soon_at: '', due_at: at(5) }, NOW)).toBe('ok');
  });
});

describe('dueBadge', () => {
  it('says which clock and how long', () => {
    expect(dueBadge({ clock: 'first_response', soon_at: at(60), due_at: at(180) }, NOW)).toMatchObject({ state: 'ok', label: 'Reply in 3h' });
    expect(dueBadge({ clock: 'resolution', soon_at: at(-10), due_at: at(25) }, NOW)).toMatchObject({ state: 'soon', label: 'Resolve in 25m' });
    expect(dueBadge({ clock: 'resolution', soon_at: '', due_at: at(4 * 24 * 60) }, NOW)?.label).toBe('Resolve in 4d');
  });

  it('says how late a breached clock is', () => {
    const b = dueBadge({ clock: 'first_response', soon_at: at(-90), due_at: at(-40) }, NOW);
    expect(b).toMatchObject({ state: 'breached', label: 'Reply 40m late' });
    expect(b?.title).toMatch(/^First response target breached: it was due /);
  });

  it('is null without a running clock', () => {
    expect(dueBadge(null, NOW)).toBeNull();
    expect(dueBadge(undefined, NOW)).toBeNull();
    expect(dueBadge({ clock: 'first_response', soon_at: '', due_at: '' }, NOW)).toBeNull();
  });
});

function clock(over: Partial<SLAClock>): SLAClock {
  return { state: 'ok', target_s: 4 * 3600, elapsed_s: 3600, left_s: 3 * 3600, late_s: 0, soon_at: at(120), due_at: at(180), achieved_at: '', ...over };
}

describe('clockLine', () => {
  it('states each clock', () => {
    expect(clockLine(clock({}), NOW).text).toMatch(/^due .*, in 3 h$/);
    expect(clockLine(clock({ state: 'met', elapsed_s: 45 * 60, achieved_at: at(-10) }), NOW).text).toBe('45 min of 4 h');
    expect(clockLine(clock({ state: 'paused', left_s: 2 * 3600, due_at: '' }), NOW).text).toBe('2 h of 4 h left');
    expect(clockLine(clock({ state: 'breached', late_s: 2 * 3600, left_s: 0, achieved_at: at(-5) }), NOW).text).toBe('2 h over');
    expect(clockLine(clock({ state: 'breached', late_s: 0, left_s: 0, due_at: at(-90) }), NOW).text).toMatch(/^due .*, 1 h 30 min ago$/);
    expect(clockLine(clock({ state: 'none', target_s: 0 }), NOW).text).toBe('No target');
  });

  it('judges a running clock again at now: soon from its warning, breached from its due time', () => {
    const line = clockLine(clock({ state: 'soon', due_at: at(-1), left_s: 60 }), NOW);
    expect(line.state).toBe('breached');
    expect(line.text).toMatch(/^due /);
    const k = clock({ state: 'ok', soon_at: at(10), due_at: at(40) });
    expect(clockLine(k, NOW).state).toBe('ok');
    expect(clockLine(k, NOW + 10 * 60000).state).toBe('soon');
    expect(clockLine(k, NOW + 10 * 60000).text).toMatch(/, in 30 min$/);
    expect(clockLine(k, NOW + 40 * 60000).state).toBe('breached');
  });
});

describe('ticketBadge', () => {
  it('is the running clock due first, with the state the Go side judged', () => {
    const s = {
      state: 'soon',
      calendar: 'UTC 24/7',
      first_response: clock({ state: 'met', achieved_at: at(-60), due_at: at(-30) }),
      resolution: clock({ state: 'soon', soon_at: at(-5), due_at: at(50) }),
    };
    expect(ticketBadge(s, NOW)).toMatchObject({ state: 'soon', label: 'Resolve in 50m' });
    expect(ticketBadge(s, NOW)?.title).toMatch(/\(soon\)$/);
    // It turns red at the due time, with the window's clock alone.
    expect(ticketBadge(s, NOW + 51 * 60000)).toMatchObject({ state: 'breached', label: 'Resolve 1m late' });
    expect(ticketBadge({ ...s, resolution: clock({ state: 'paused', due_at: '' }) }, NOW)).toBeNull();
    expect(ticketBadge(null, NOW)).toBeNull();
  });
});
