// Turns a ticket into the list of entries the conversation pane shows:
// the description first (it is the customer's opening message), then the
// thread in time order, each with how it is presented.

import type { Attachment, Ticket, ThreadKind } from '../api/types';
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

/** What a mail entry shows besides the common fields. */
export interface MailInfo {
  messageId: string;
  /** The folder as the mailbox names it: "INBOX" or "Sent". */
  folder: string;
  subject: string;
  /** The sender's display name ("" when none) and address. */
  name: string;
  address: string;
  hasHtml: boolean;
  attachments: Attachment[];
}

/** One entry of the conversation as the pane shows it. */
export interface ThreadItem extends KindInfo {
  key: string;
  /** The entry's kind as the Go side sent it ("description" for the ticket's description). */
  kind: string;
  author: string;
  body: string;
  createdAt: string;
  /** True for the ticket description. */
  opening: boolean;
  /** Set for mail of the brand's mailbox (kind "mail" with a message id). */
  mail: MailInfo | null;
  /** The outbox op this note was posted for (its hidden marker); "" for others. */
  opId: string;
}

/** The hidden marker the outbox puts in the notes it posts (internal/gitlab.Marker). */
const OP_MARKER = /[ \t]*<!-- servicedesk:op=([^\s>]+) -->[ \t]*/;

/** opMarker splits a note's body into the text to show and the op id of its marker ("" when none). */
export function opMarker(body: string): { body: string; opId: string } {
  const m = OP_MARKER.exec(body);
  if (!m) return { body, opId: '' };
  return { body: (body.slice(0, m.index) + body.slice(m.index + m[0].length)).trimEnd(), opId: m[1] ?? '' };
}

/**
 * buildThread puts the description first and the thread entries after it,
 * oldest first. Entries with an unreadable time keep their order and go last.
 * A thread whose first GitLab entry repeats the description is not shown
 * twice. The customer's original mail is shown beside the description, not
 * instead of it: the description is GitLab's copy, the mail the original
 * (with its formatting and attachments).
 */
export function buildThread(ticket: Ticket): ThreadItem[] {
  // At the same time, GitLab's copy comes before the mail it was made from
  // (or that was sent from it).
  const mailLast = (kind: string) => (kind === 'mail' ? 1 : 0);
  const entries = (ticket.thread ?? [])
    .map((e, i) => ({ e, i, t: parseTime(e.created_at) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => (a.t === b.t ? mailLast(a.e.kind) - mailLast(b.e.kind) || a.i - b.i : a.t < b.t ? -1 : 1))
    .map((x) => x.e);

  const items: ThreadItem[] = [];
  const description = (ticket.description ?? '').trim();
  const first = entries.find((e) => e.kind !== 'mail');
  const duplicated =
    first !== undefined && first.kind === 'customer' && first.body.trim() === description;
  if (description !== '' && !duplicated) {
    items.push({
      ...kindInfo('customer'),
      key: 'description',
      kind: 'description',
      author: ticket.customer || 'Customer',
      body: ticket.description,
      createdAt: ticket.created_at,
      opening: true,
      mail: null,
      opId: '',
    });
  }
  entries.forEach((e, i) => {
    const info = kindInfo(e.kind);
    const marked = e.kind === 'mail' ? { body: e.body ?? '', opId: '' } : opMarker(e.body ?? '');
    items.push({
      ...info,
      key: `${i}:${e.created_at}:${e.kind}`,
      kind: e.kind,
      author: e.author_name || e.author || (info.tone === 'customer' ? ticket.customer : '') || 'Unknown',
      body: marked.body,
      createdAt: e.created_at,
      opening: false,
      opId: marked.opId,
      mail:
        e.kind === 'mail' && e.message_id
          ? {
              messageId: e.message_id,
              folder: e.folder ?? '',
              subject: e.subject ?? '',
              name: e.author_name ?? '',
              address: e.author ?? '',
              hasHtml: e.has_html === true,
              attachments: e.attachments ?? [],
            }
          : null,
    });
  });
  return items;
}
