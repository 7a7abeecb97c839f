// The sync status in words: the status bar's progress and result, and which
// action the error banner offers. Pure functions of a status and a time.

import type { SyncErrorKind, SyncStatus } from '../api/types';
import { parseTime, syncLabel } from './time';

/** How long after a sync the status bar names what it changed. */
export const SUMMARY_MS = 60_000;

const COUNT = new Intl.NumberFormat('en-US');

/** formatCount writes a count with thousands separators: 1200 → "1,200". */
export function formatCount(n: number): string {
  return COUNT.format(Math.max(0, Math.floor(n)));
}

/** progressLabel is "Syncing…", or "Syncing… 1,200 tickets" once tickets are stored. */
export function progressLabel(progress: number): string {
  if (!(progress > 0)) return 'Syncing…';
  return `Syncing… ${formatCount(progress)} ${progress === 1 ? 'ticket' : 'tickets'}`;
}

/** statusLabel is the status bar's short sync text, with progress while syncing. */
export function statusLabel(status: Pick<SyncStatus, 'syncing' | 'last_sync_at' | 'progress'>, now: number): string {
  return status.syncing ? progressLabel(status.progress) : syncLabel(status, now);
}

/**
 * recentSummary is what the last sync changed while that sync is less than
 * SUMMARY_MS old, else "" (the clock moving on hides it; no timer needed).
 */
export function recentSummary(status: Pick<SyncStatus, 'syncing' | 'last_sync_at' | 'last_summary'>, now: number): string {
  const summary = status.last_summary.trim();
  if (status.syncing || summary === '') return '';
  const at = parseTime(status.last_sync_at);
  if (at === null) return '';
  return now - at < SUMMARY_MS ? summary : '';
}

const KINDS: readonly string[] = ['auth', 'forbidden', 'offline', 'not-found', 'other'] satisfies SyncErrorKind[];

/** errorKind reads error_kind; an unknown or missing kind of a real error counts as "other". */
export function errorKind(kind: string): SyncErrorKind {
  return KINDS.includes(kind) ? (kind as SyncErrorKind) : 'other';
}

/** What the error banner offers: the fix lives in Accounts, or trying again may help. */
export type BannerAction = 'accounts' | 'retry';

export function bannerAction(kind: SyncErrorKind): BannerAction {
  switch (kind) {
    case 'auth':
    case 'forbidden':
    case 'not-found':
      return 'accounts';
    case 'offline':
    case 'other':
      return 'retry';
  }
}
