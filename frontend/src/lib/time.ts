// Relative and absolute time for the list, the thread and the status bar.
// English labels to match the rest of the UI; local time zone for dates.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** parseTime reads an RFC 3339 string; "" or garbage gives null. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function shortDate(t: number, now: number): string {
  const d = new Date(t);
  const label = `${MONTHS[d.getMonth()]} ${d.getDate()}`;
  return d.getFullYear() === new Date(now).getFullYear() ? label : `${label}, ${d.getFullYear()}`;
}

/**
 * ageShort is the compact age of the ticket list: "now", "5m", "3h", "2d",
 * then the date ("Mar 5", or "Mar 5, 2023" for another year).
 * Times in the future (clock skew) count as now; unknown times give "".
 */
export function ageShort(iso: string, now: number): string {
  const t = parseTime(iso);
  if (t === null) return '';
  const diff = Math.max(0, now - t);
  if (diff < MINUTE) return 'now';
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)}m`;
  if (diff < DAY) return `${Math.floor(diff / HOUR)}h`;
  if (diff < 7 * DAY) return `${Math.floor(diff / DAY)}d`;
  return shortDate(t, now);
}

/**
 * timeAgo is the sentence form used in the status bar and the thread:
 * "just now", "1 min ago", "3 h ago", "yesterday", "4 days ago", "on Mar 5".
 */
export function timeAgo(iso: string, now: number): string {
  const t = parseTime(iso);
  if (t === null) return '';
  const diff = Math.max(0, now - t);
  if (diff < 45_000) return 'just now';
  if (diff < HOUR) return `${Math.max(1, Math.round(diff / MINUTE))} min ago`;
  if (diff < DAY) return `${Math.floor(diff / HOUR)} h ago`;
  if (diff < 2 * DAY) return 'yesterday';
  if (diff < 7 * DAY) return `${Math.floor(diff / DAY)} days ago`;
  return `on ${shortDate(t, now)}`;
}

/** formatDateTime is the full local time for tooltips: "Mar 5, 2024, 14:05". */
export function formatDateTime(iso: string): string {
  const t = parseTime(iso);
  if (t === null) return '';
  const d = new Date(t);
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()}, ${hh}:${mm}`;
}

/** syncLabel is the status bar's sync sentence. */
export function syncLabel(status: { syncing: boolean; last_sync_at: string }, now: number): string {
  if (status.syncing) return 'Syncing…';
  if (parseTime(status.last_sync_at) === null) return 'Not synced yet';
  return `Synced ${timeAgo(status.last_sync_at, now)}`;
}

/**
 * formatDuration is a span of time as the ticket panel states it, to the
 * two largest units that matter: "under 1 min", "45 min", "2 h 10 min",
 * "1 d 5 h", "3 d". Negative or unknown spans give "".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < MINUTE) return 'under 1 min';
  const minutes = Math.floor(ms / MINUTE);
  if (ms < HOUR) return `${minutes} min`;
  const hours = Math.floor(ms / HOUR);
  if (ms < DAY) {
    const rest = minutes - hours * 60;
    return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(ms / DAY);
  const rest = hours - days * 24;
  // From three days on, the hours are noise.
  return days < 3 && rest > 0 ? `${days} d ${rest} h` : `${days} d`;
}
