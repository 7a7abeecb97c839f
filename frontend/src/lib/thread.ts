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

/** Quoted history an entry hides until the agent asks for it. */
export interface QuotedPart {
  /** The hidden text, line breaks kept. */
  text: string;
  /**
   * True when text is the whole message (quoted history included) and is
   * shown instead of the body; false when it is shown after the body.
   */
  whole: boolean;
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
  /** Quoted history left out of body; null when there is none. */
  quote: QuotedPart | null;
}

/** The hidden marker the outbox puts in the notes it posts (internal/gitlab.Marker). */
const OP_MARKER = /[ \t]*<!-- servicedesk:op=([^\s>]+) -->[ \t]*/;

/** opMarker splits a note's body into the text to show and the op id of its marker ("" when none). */
export function opMarker(body: string): { body: string; opId: string } {
  const m = OP_MARKER.exec(body);
  if (!m) return { body, opId: '' };
  return { body: (body.slice(0, m.index) + body.slice(m.index + m[0].length)).trimEnd(), opId: m[1] ?? '' };
}

/** customerByName gives the customer's name for an author who is the customer's bare address. */
function customerByName(author: string, ticket: Ticket): string {
  const name = ticket.customer_card?.name ?? '';
  const own = [ticket.customer, ticket.customer_card?.email ?? ''].filter((a) => a !== '').map((a) => a.toLowerCase());
  return name !== '' && own.includes(author.trim().toLowerCase()) ? name : author;
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
    const split = splitTrailingQuote(ticket.description);
    items.push({
      ...kindInfo('customer'),
      key: 'description',
      kind: 'description',
      author: ticket.customer_card?.name || ticket.customer || 'Customer',
      body: split.body,
      createdAt: ticket.created_at,
      opening: true,
      mail: null,
      opId: '',
      quote: split.quote === '' ? null : { text: split.quote, whole: false },
    });
  }
  entries.forEach((e, i) => {
    const info = kindInfo(e.kind);
    const marked = e.kind === 'mail' ? { body: e.body ?? '', opId: '' } : opMarker(e.body ?? '');
    let quote: QuotedPart | null = null;
    if (e.kind === 'mail') {
      quote = quotedRest(marked.body, e.quoted ?? '');
    } else if (!info.folded) {
      const split = splitTrailingQuote(marked.body);
      marked.body = split.body;
      if (split.quote !== '') quote = { text: split.quote, whole: false };
    }
    items.push({
      ...info,
      key: `${i}:${e.created_at}:${e.kind}`,
      kind: e.kind,
      author: customerByName(e.author_name || e.author || (info.tone === 'customer' ? ticket.customer : ''), ticket) || 'Unknown',
      body: marked.body,
      createdAt: e.created_at,
      opening: false,
      opId: marked.opId,
      quote,
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

const QUOTE_LINE = /^ {0,3}>/;
const FENCE_LINE = /^ {0,3}(?:`{3,}|~{3,})/;
// "On Tue, 3 Jun 2024 at 10:00, Ann <ann@example.com> wrote:" and its
// translations (as internal/mailparse knows them), over up to three lines.
const ATTRIBUTION =
  /^(?:on|am|le|el|op|il|em|den|på)\s.{0,400}?(?:wrote|schrieb|a écrit|escribió|schreef|ha scritto|escreveu|skrev)(?:\s.{0,200}?)?\s*:\s*$/is;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/**
 * splitTrailingQuote cuts the block of "> " lines that ends a note (a
 * customer's reply relayed with its history), with the "On … wrote:" line
 * before it, from the text. The text stays whole (quote "") when it has no
 * such block, when the block is all there is, or when it sits inside an
 * unclosed code fence.
 */
export function splitTrailingQuote(text: string): { body: string; quote: string } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1]!)) end--;
  if (end === 0 || !QUOTE_LINE.test(lines[end - 1]!)) return { body: text, quote: '' };
  let start = end - 1;
  while (start > 0 && (QUOTE_LINE.test(lines[start - 1]!) || isBlank(lines[start - 1]!))) start--;
  while (isBlank(lines[start]!)) start++;
  // The attribution just above the block belongs to it.
  let above = start - 1;
  while (above >= 0 && isBlank(lines[above]!)) above--;
  for (let from = above; from >= 0 && from > above - 3; from--) {
    const joined = lines
      .slice(from, above + 1)
      .map((l) => l.trim())
      .join(' ');
    if (ATTRIBUTION.test(joined)) {
      start = from;
      break;
    }
  }
  const body = lines.slice(0, start).join('\n').trimEnd();
  const fences = lines.slice(0, start).filter((l) => FENCE_LINE.test(l)).length;
  if (body.trim() === '' || fences % 2 === 1) return { body: text, quote: '' };
  return { body, quote: lines.slice(start, end).join('\n') };
}

/**
 * quotedRest is what a mail's whole text (quoted history included) holds
 * beyond its body: the rest after it when the body is where the text
 * starts (a reply written above the history), else the whole text, shown
 * instead of the body. null when the whole text adds nothing.
 */
export function quotedRest(body: string, whole: string): QuotedPart | null {
  const all = whole.replace(/\r\n?/g, '\n').trim();
  const own = body.replace(/\r\n?/g, '\n').trim();
  if (all === '' || all === own) return null;
  if (own !== '' && all.startsWith(own)) {
    const rest = all.slice(own.length).replace(/^(?:[ \t]*\n)+/, '').trimEnd();
    return rest.trim() === '' ? null : { text: rest, whole: false };
  }
  return { text: all, whole: true };
}

/**
 * unquote takes one level of "> " marks off quoted history, for showing it
 * beside a rule rather than behind the marks; other lines (the "On …
 * wrote:" line) stay as they are, and deeper levels keep their marks.
 */
export function unquote(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^ {0,3}> ?/, ''))
    .join('\n');
}

/**
 * systemText is a system note as one line of text: GitLab's Markdown
 * emphasis and inline diff marks ({+added+}, {-removed-}) dropped, line
 * breaks and runs of spaces made one space.
 */
export function systemText(body: string): string {
  return body
    .replace(/\{\+|\+\}|\{-|-\}/g, '')
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A block of the conversation: one entry, or a run of system notes shown as one line. */
export type ThreadBlock = { type: 'entry'; key: string; item: ThreadItem } | { type: 'changes'; key: string; items: ThreadItem[] };

/**
 * groupThread gathers each run of two or more consecutive folded entries
 * (system notes) into one block; everything else stays an entry of its own.
 * A run keeps its first entry's key, so it stays put as notes join it.
 */
export function groupThread(items: ThreadItem[]): ThreadBlock[] {
  const out: ThreadBlock[] = [];
  let run: ThreadItem[] = [];
  const flush = () => {
    if (run.length === 1) out.push({ type: 'entry', key: run[0]!.key, item: run[0]! });
    else if (run.length > 1) out.push({ type: 'changes', key: `changes:${run[0]!.key}`, items: run });
    run = [];
  };
  for (const item of items) {
    if (item.folded) {
      run.push(item);
      continue;
    }
    flush();
    out.push({ type: 'entry', key: item.key, item });
  }
  flush();
  return out;
}

/** changesSummary names who made a run of changes: "Bob", "Bob and Cy", "Bob, Cy and 2 others". */
export function changesSummary(items: ThreadItem[]): string {
  const names = [...new Set(items.map((i) => i.author))];
  if (names.length <= 2) return names.join(' and ');
  const others = names.length - 2;
  return `${names[0]}, ${names[1]} and ${others} ${others === 1 ? 'other' : 'others'}`;
}
