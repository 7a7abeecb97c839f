import { describe, expect, it } from 'vitest';
import { NOW, status } from '../test/fixtures';
import { bannerAction, errorKind, formatCount, progressLabel, recentSummary, statusLabel, SUMMARY_MS } from './sync';

const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('progress', () => {
  it('formats counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1200)).toBe('1,200');
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it.each([
    [0, 'Syncing…'],
    [-3, 'Syncing…'],
    [Number.NaN, 'Syncing…'],
    [1, 'Syncing… 1 ticket'],
    [42, 'Syncing… 42 tickets'],
    [1200, 'Syncing… 1,200 tickets'],
  ])('progress %d reads "%s"', (n, want) => {
    expect(progressLabel(n)).toBe(want);
  });

  it('shows progress only while syncing', () => {
    expect(statusLabel(status({ syncing: true, progress: 1200 }), NOW)).toBe('Syncing… 1,200 tickets');
    expect(statusLabel(status({ syncing: false, progress: 1200, last_sync_at: ago(2 * 60_000) }), NOW)).toBe('Synced 2 min ago');
  });
});

describe('recentSummary', () => {
  const done = status({ last_sync_at: ago(0), last_summary: '3 new, 12 updated' });

  it('names what the sync changed for about a minute, then nothing', () => {
    expect(recentSummary(done, NOW)).toBe('3 new, 12 updated');
    expect(recentSummary(done, NOW + 30_000)).toBe('3 new, 12 updated');
    expect(recentSummary(done, NOW + SUMMARY_MS)).toBe('');
    expect(recentSummary(done, NOW + 10 * 60_000)).toBe('');
  });

  it('is empty while syncing, without a summary, or without a sync time', () => {
    expect(recentSummary({ ...done, syncing: true }, NOW)).toBe('');
    expect(recentSummary({ ...done, last_summary: '  ' }, NOW)).toBe('');
    expect(recentSummary({ ...done, last_sync_at: '' }, NOW)).toBe('');
  });
});

describe('error kinds', () => {
  it.each([
    ['auth', 'accounts'],
    ['forbidden', 'accounts'],
    ['not-found', 'accounts'],
    ['offline', 'retry'],
    ['other', 'retry'],
  ] as const)('%s offers %s', (kind, action) => {
    expect(errorKind(kind)).toBe(kind);
    expect(bannerAction(errorKind(kind))).toBe(action);
  });

  it('treats a missing or unknown kind as other (retry)', () => {
    expect(errorKind('')).toBe('other');
    expect(errorKind('quota')).toBe('other');
  });
});
