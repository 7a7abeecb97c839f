// The times "Send later…" offers, in the agent's own time zone.

export interface LaterChoice {
  label: string;
  /** Milliseconds since the epoch. */
  at: number;
}

function at(base: Date, days: number, hour: number): number {
  const d = new Date(base);
  d.setDate(d.getDate() + days);
  d.setHours(hour, 0, 0, 0);
  return d.getTime();
}

/**
 * laterChoices gives "In 1 hour", "Tomorrow 9:00" and, from Friday to
 * Sunday, "Monday 9:00".
 */
export function laterChoices(now: number): LaterChoice[] {
  const today = new Date(now);
  const out: LaterChoice[] = [{ label: 'In 1 hour', at: now + 60 * 60_000 }, { label: 'Tomorrow 9:00', at: at(today, 1, 9) }];
  const day = today.getDay();
  if (day === 5 || day === 6 || day === 0) out.push({ label: 'Monday 9:00', at: at(today, (8 - day) % 7 || 7, 9) });
  return out;
}

/** toLocalInput gives the value of a datetime-local input: "2024-06-15T14:05" in local time. */
export function toLocalInput(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
