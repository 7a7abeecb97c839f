import { describe, expect, it } from 'vitest';
import { row } from '../test/fixtures';
import { rowTime, waiting } from './ticket-row';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const ago = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

describe('waiting', () => {
  it('says how long the customer has waited, late past a day', () => {
    expect(waiting(ago(3), NOW)).toEqual({ label: 'waiting 3h', late: false });
    expect(waiting(ago(23.9), NOW)).toEqual({ label: 'waiting 23h', late: false });
    expect(waiting(ago(30), NOW)).toEqual({ label: 'waiting 1d', late: true });
    expect(waiting(ago(24 * 20), NOW)).toEqual({ label: 'waiting since May 26', late: true });
    expect(waiting('', NOW)).toBeNull();
  });
});

describe('rowTime', () => {
  it('shows the time the list is sorted by', () => {
    const r = row(1, { created_at: '2024-06-01T00:00:00Z', last_activity_at: '2024-06-15T11:00:00Z' });
    expect(rowTime(r, 'updated')).toEqual({ at: '2024-06-15T11:00:00Z', what: 'Last activity' });
    expect(rowTime(r, 'oldest')).toEqual({ at: '2024-06-01T00:00:00Z', what: 'Created' });
  });
});
