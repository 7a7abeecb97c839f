// Turns a ticket into the list of entries the conversation pane shows:
// the description first (it is the customer's opening message), then the
// thread in time order, each with how it is presented.

import type { Ticket, ThreadKind } from '../api/types';
import { parseTime } from './time';

/** How one kind of entry is presented. */
export interface KindInfo {
  /** A CSS-safe tone: the entry's class is `entry--${tone}`. */
  tone: ThreadKind | 'other';
  /** The tag shown next to the author. */
  label: string;
  /** System notes collapse into one small grey line. */
  folded: boolean;
}

const KINDS: Record<ThreadKind, KindInfo> = {
  customer: { tone: 'customer', label: 'Customer', folded: false },
  reply: { tone: 'reply', label: 'Reply', folded: false },
  internal: { tone: 'internal', label: 'Internal note', folded: false },
  system: { tone: 'system', label: 'System', folded: true },
  mail: { tone: 'mail', label: 'Email', folded: false },
};

/** kindInfo presents a kind; an unknown kind is shown in full, never hidden. */
export function kindInfo(kind: string): KindInfo {
  return Object.hasOwn(KINDS, kind)
    ? KINDS[kind as ThreadKind]
    : { tone: 'other', label: 'Message', folded: false };
}

/** One entry of the conversation as the pane shows it. */
export interface ThreadItem extends KindInfo {
  key: string;
  author: string;
  body: string;
  createdAt: string;
  /** True for the ticket description. */
  opening: boolean;
}

/**
 * buildThread puts the description first and the thread entries after it,
 * oldest first. Entries with an unreadable time keep their order and go last.
 * A thread that already starts with the description (same body) is not
 * shown twice.
 */
export function buildThread(ticket: Ticket): ThreadItem[] {
  const entries = (ticket.thread ?? [])
    .map((e, i) => ({ e, i, t: parseTime(e.created_at) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => (a.t === b.t ? a.i - b.i : a.t < b.t ? -1 : 1))
    .map((x) => x.e);

  const items: ThreadItem[] = [];
  const description = (ticket.description ?? '').trim();
  const first = entries[0];
  const duplicated =
    first !== undefined && (first.kind === 'customer' || first.kind === 'mail') && first.body.trim() === description;
  if (description !== '' && !duplicated) {
    items.push({
      ...kindInfo('customer'),
      key: 'description',
      author: ticket.customer || 'Customer',
      body: ticket.description,
      createdAt: ticket.created_at,
      opening: true,
    });
  }
  entries.forEach((e, i) => {
    const info = kindInfo(e.kind);
    items.push({
      ...info,
      key: `${i}:${e.created_at}:${e.kind}`,
      author: e.author_name || e.author || (info.tone === 'customer' ? ticket.customer : '') || 'Unknown',
      body: e.body ?? '',
      createdAt: e.created_at,
      opening: false,
    });
  });
  return items;
}
