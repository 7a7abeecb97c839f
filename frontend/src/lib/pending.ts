// What the outbox's ops mean for the page: a sentence for each, the pending
// entries of the open ticket's thread, the ticket header as it will be once
// the pending changes land, and which tickets of the list have work waiting.
// Pure functions, so the merge and its de-duplication are tested alone.

import { ticketKey, type OutboxOp, type Ticket, type TicketKey } from '../api/types';
import { parseTime } from './time';

/** Ops that are done (recorded) or gone (undone) no longer wait. */
export function isFinished(op: OutboxOp): boolean {
  return op.state === 'recorded' || op.state === 'undone';
}

/** Ops that need the agent: failed, conflict, delivery unknown. */
export function needsAgent(op: OutboxOp): boolean {
  if (op.state === 'failed') return !retriesItself(op);
  return op.state === 'conflict' || op.state === 'delivery unknown';
}

/** A failed op the outbox tries again by itself (the network, a busy server): it needs nobody. */
export function retriesItself(op: OutboxOp): boolean {
  return op.state === 'failed' && op.retryable && op.next_try_at !== '';
}

export function isMessage(op: OutboxOp): boolean {
  return op.kind === 'reply' || op.kind === 'note';
}

/** clockTime is "14:05" in local time; "" for an unreadable time. */
export function clockTime(iso: string): string {
  const t = parseTime(iso);
  if (t === null) return '';
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** A time that may be another day: "14:05", or "Mar 5, 14:05". */
function whenLabel(iso: string, now: number): string {
  const t = parseTime(iso);
  if (t === null) return '';
  const d = new Date(t);
  if (d.toDateString() === new Date(now).toDateString()) return clockTime(iso);
  return `${d.toLocaleString('en', { month: 'short' })} ${d.getDate()}, ${clockTime(iso)}`;
}

/** kindLabel names an op: "Reply", "Internal note", "Labels", … */
export function kindLabel(op: OutboxOp): string {
  switch (op.kind) {
    case 'reply':
      return 'Reply';
    case 'note':
      return 'Internal note';
    case 'labels':
      return 'Labels';
    case 'assign':
      return 'Assignee';
    case 'state':
      return op.state_change === 'reopen' ? 'Reopen' : 'Close';
    case 'cc':
      return 'CC';
    case 'merge':
      return 'Merge';
    default:
      return op.kind || 'Change';
  }
}

/** summary says what an op changes, in a line: "+billing −urgent", "to bob", "Unassign". */
export function summary(op: OutboxOp): string {
  switch (op.kind) {
    case 'reply':
    case 'note':
      return op.body.replace(/\s+/g, ' ').trim();
    case 'labels':
      return [...op.add_labels.map((l) => `+${l}`), ...op.remove_labels.map((l) => `−${l}`)].join(' ');
    case 'assign':
      return op.assignees.length > 0 ? `to ${op.assignees.join(', ')}` : 'Unassign';
    case 'state':
      return op.state_change === 'reopen' ? 'Reopen the ticket' : 'Close the ticket';
    case 'cc':
      return [...op.add_cc.map((a) => `+${a}`), ...op.remove_cc.map((a) => `−${a}`)].join(' ');
    case 'merge':
      return `Into #${op.merge_into}, closed as its duplicate`;
    default:
      return '';
  }
}

/** The tone of an op's badge: its class is `badge--${tone}`. */
export type OpTone = 'pending' | 'sending' | 'done' | 'failed' | 'held';

export interface OpStatus {
  tone: OpTone;
  /** "Pending · sends at 10:42", "Failed: …". */
  text: string;
}

/**
 * heldBy gives the earlier unfinished op of the same ticket that op waits
 * for (the ops of a ticket leave in the order they were queued), or null.
 */
export function heldBy(op: OutboxOp, ops: readonly OutboxOp[]): OutboxOp | null {
  const key = ticketKey(op);
  for (const o of ops) {
    if (o.id === op.id) return null;
    if (ticketKey(o) === key && !isFinished(o)) return o;
  }
  return null;
}

/**
 * status is the badge of an op: where it is, and for a stopped one why; a
 * queued op held by an earlier one of its ticket (held) says what it waits for.
 */
export function opStatus(op: OutboxOp, now: number, held: OutboxOp | null = null): OpStatus {
  const reason = op.reason.trim();
  switch (op.state) {
    case 'queued': {
      if (held) {
        const what = kindLabel(held).toLowerCase();
        const until =
          held.state === 'queued' && whenLabel(held.send_at, now) ? ` (sends at ${whenLabel(held.send_at, now)})` : needsAgent(held) ? ' (it needs you)' : '';
        return { tone: 'pending', text: `Pending · waits for the ${what} before it${until}` };
      }
      const at = whenLabel(op.send_at, now);
      return { tone: 'pending', text: at ? `Pending · sends at ${at}` : 'Pending' };
    }
    case 'ready':
    case 'sending':
      return { tone: 'sending', text: 'Sending…' };
    case 'sent':
      return { tone: 'sending', text: reason || 'Sent by e-mail · recording it on the ticket…' };
    case 'recorded':
      return { tone: 'done', text: op.kind === 'note' ? 'Added' : 'Sent' };
    case 'failed': {
      if (retriesItself(op)) {
        return { tone: 'pending', text: `Waiting to retry at ${whenLabel(op.next_try_at, now)}: ${reason || 'no reason given'}` };
      }
      return { tone: 'failed', text: `Failed: ${reason || 'no reason given'}` };
    }
    case 'conflict':
      return { tone: 'held', text: `Held: ${reason || 'the customer wrote again'}` };
    case 'delivery unknown':
      return { tone: 'held', text: `Delivery unknown: ${reason || 'it may have left'}` };
    default:
      return { tone: 'pending', text: op.state };
  }
}

/** The ops of one ticket, in queue order. */
export function opsOf(ops: readonly OutboxOp[], key: TicketKey): OutboxOp[] {
  return ops.filter((op) => ticketKey(op) === key);
}

/**
 * pendingMessages are the replies and notes of a ticket to show below its
 * thread: every one not finished, and a recorded one until its note is in the
 * thread (posted holds the op ids whose marker the thread has), so the real
 * note replaces the pending entry without a gap and never beside it.
 */
export function pendingMessages(ops: readonly OutboxOp[], posted: ReadonlySet<string>): OutboxOp[] {
  return ops.filter((op) => isMessage(op) && op.state !== 'undone' && !posted.has(op.id));
}

/** A label of the ticket header: there, being added or being removed. */
export interface LabelChip {
  name: string;
  change: 'none' | 'adding' | 'removing';
  /** The op that changes it stopped: its reason. */
  failed: string;
}

export interface TriageView {
  labels: LabelChip[];
  assignees: string[];
  /** An assign op has not landed: assignees are what it sets. */
  assigneesPending: boolean;
  assigneesFailed: string;
  /** "opened" or "closed", as it will be. */
  state: string;
  statePending: boolean;
  stateFailed: string;
  /** External participants being added or removed (the ticket does not list the current ones). */
  cc: Array<{ address: string; change: 'adding' | 'removing'; failed: string }>;
}

function failure(op: OutboxOp): string {
  return needsAgent(op) ? op.reason || op.state : '';
}

/**
 * triageView is the header of a ticket with its pending changes applied in
 * queue order. A recorded change counts until the reloaded ticket shows it:
 * a label added that the ticket has is simply there, one removed that it
 * still has is shown going.
 */
export function triageView(ticket: Ticket, ops: readonly OutboxOp[]): TriageView {
  const labels: LabelChip[] = ticket.labels.map((name) => ({ name, change: 'none', failed: '' }));
  const view: TriageView = {
    labels,
    assignees: ticket.assignees,
    assigneesPending: false,
    assigneesFailed: '',
    state: ticket.state,
    statePending: false,
    stateFailed: '',
    cc: [],
  };
  const has = (name: string) => ticket.labels.includes(name);
  for (const op of ops) {
    if (op.state === 'undone') continue;
    const done = op.state === 'recorded';
    switch (op.kind) {
      case 'labels':
        for (const name of op.add_labels) {
          const chip = labels.find((c) => c.name === name);
          if (chip) {
            if (chip.change === 'removing') chip.change = has(name) ? 'none' : 'adding';
          } else labels.push({ name, change: done && has(name) ? 'none' : 'adding', failed: failure(op) });
        }
        for (const name of op.remove_labels) {
          const chip = labels.find((c) => c.name === name);
          if (!chip) continue;
          if (chip.change === 'adding') labels.splice(labels.indexOf(chip), 1);
          else {
            chip.change = 'removing';
            chip.failed = failure(op);
          }
        }
        break;
      case 'assign':
        if (done && sameSet(op.assignees, ticket.assignees)) break;
        view.assignees = op.assignees;
        view.assigneesPending = true;
        view.assigneesFailed = failure(op);
        break;
      case 'state':
      case 'merge': {
        // A merge closes the ticket as a duplicate of the other.
        const want = op.kind === 'state' && op.state_change === 'reopen' ? 'opened' : 'closed';
        if (done && ticket.state === want) break;
        view.state = want;
        view.statePending = want !== ticket.state;
        view.stateFailed = failure(op);
        break;
      }
      case 'cc':
        if (done) break;
        for (const address of op.add_cc) view.cc.push({ address, change: 'adding', failed: failure(op) });
        for (const address of op.remove_cc) view.cc.push({ address, change: 'removing', failed: failure(op) });
        break;
    }
  }
  return view;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** What the ticket list marks on a row: how many ops wait, and whether one needs the agent. */
export interface PendingMark {
  count: number;
  failed: boolean;
}

/** marks gives the tickets with unfinished ops. */
export function marks(ops: readonly OutboxOp[]): Map<TicketKey, PendingMark> {
  const out = new Map<TicketKey, PendingMark>();
  for (const op of ops) {
    if (isFinished(op)) continue;
    const key = ticketKey(op);
    const m = out.get(key) ?? { count: 0, failed: false };
    m.count++;
    m.failed ||= needsAgent(op);
    out.set(key, m);
  }
  return out;
}

/** markLabel is the row mark's sentence for screen readers and the tooltip. */
export function markLabel(m: PendingMark): string {
  const what = `${m.count} ${m.count === 1 ? 'change' : 'changes'} in the outbox`;
  return m.failed ? `${what}, one needs you` : what;
}
