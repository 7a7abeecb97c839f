// Mail without a ticket: inbound mail of the brand's mailbox that the linker
// could not put in a ticket's thread. The middle pane lists it (paged like
// the tickets); the right pane shows the mail open and offers to link it to
// a ticket the agent names or to set it aside, with Undo. After either, the
// next mail opens, as an inbox does after archiving.

import type { MailPage, MailRow, TicketPage, TicketQuery, TicketRow } from '../api/types';
import { Cursor } from './cursor.svelte';
import { message } from './errors';
import { PagedList } from './paged-list.svelte';
import { kindInfo, quotedRest, type MailInfo, type ThreadItem } from './thread';

/** The Go side calls this store needs. */
export interface UnlinkedApi {
  unlinkedMail(offset: number, limit: number): Promise<MailPage>;
  linkMail(messageId: string, projectId: number, iid: number): Promise<void>;
  dismissMail(messageId: string, dismiss: boolean): Promise<void>;
  listTickets(q: TicketQuery): Promise<TicketPage>;
}

/** What the agent did last, for the pane's line (and Undo of a mail set aside). */
export type MailDone =
  | { kind: 'linked'; mail: MailRow; projectId: number; iid: number }
  | { kind: 'set-aside'; mail: MailRow };

/** mailItem is a mail without a ticket as the thread's mail card shows it. */
export function mailItem(m: MailRow): { item: ThreadItem; info: MailInfo } {
  const info: MailInfo = {
    messageId: m.message_id,
    folder: m.folder,
    subject: m.subject,
    name: m.from_name,
    address: m.from_email,
    hasHtml: m.has_html,
    attachments: m.attachments,
  };
  const item: ThreadItem = {
    ...kindInfo('mail'),
    key: m.message_id,
    kind: 'mail',
    author: m.from_name || m.from_email || 'Unknown sender',
    body: m.body,
    createdAt: m.date,
    opening: false,
    mail: info,
    opId: '',
    quote: quotedRest(m.body, m.quoted),
  };
  return { item, info };
}

/** ticketNumber reads what the agent typed as a ticket number ("12", "#12"); 0 when it is none. */
export function ticketNumber(text: string): number {
  const m = /^#?\s*(\d{1,9})$/.exec(text.trim());
  return m ? Number(m[1]) : 0;
}

/** How many of the sender's tickets the link form suggests. */
export const SUGGESTIONS = 8;

export class UnlinkedMailStore {
  readonly list = new PagedList<MailRow>((m) => m.message_id);
  readonly cursor = new Cursor<MailRow>((m) => m.message_id);
  /** The mail in the right pane. */
  open = $state.raw<MailRow | null>(null);
  busy = $state(false);
  /** The sentence of the last failed link, set-aside or undo; "" otherwise. */
  error = $state('');
  done = $state.raw<MailDone | null>(null);

  readonly #api: UnlinkedApi;

  constructor(api: UnlinkedApi) {
    this.#api = api;
    this.cursor.follow(this.list);
  }

  /** load lists the mail from the top. */
  async load(): Promise<void> {
    const err = await this.list.reset((offset, limit) => this.#api.unlinkedMail(offset, limit));
    if (err) this.list.error = err;
  }

  /** reload fetches the rows on screen again (after a sync, a link or a set-aside). */
  reload(): Promise<void> {
    return this.list.loaded ? this.list.reload() : this.load();
  }

  /** show opens a mail of the list (the cursor's by default) in the right pane. */
  show(id: string | null = this.cursor.key): void {
    if (id === null) return;
    this.cursor.select(id);
    const i = this.list.indexOf(id);
    const mail = i >= 0 ? this.list.rowAt(i) : undefined;
    if (mail) {
      this.open = mail;
      this.error = '';
    }
  }

  /** close empties the right pane (another view was chosen). */
  close(): void {
    this.open = null;
    this.error = '';
    this.done = null;
  }

  /** link puts the open mail into ticket iid of a project; the next mail opens. */
  async link(projectId: number, iid: number): Promise<boolean> {
    const mail = this.open;
    if (!mail || this.busy) return false;
    return this.#act(mail, () => this.#api.linkMail(mail.message_id, projectId, iid), { kind: 'linked', mail, projectId, iid });
  }

  /** setAside takes the open mail off the list (Undo brings it back); the next mail opens. */
  async setAside(): Promise<boolean> {
    const mail = this.open;
    if (!mail || this.busy) return false;
    return this.#act(mail, () => this.#api.dismissMail(mail.message_id, true), { kind: 'set-aside', mail });
  }

  /** undo brings back the mail set aside last and opens it. */
  async undo(): Promise<boolean> {
    const d = this.done;
    if (d?.kind !== 'set-aside' || this.busy) return false;
    this.busy = true;
    this.error = '';
    try {
      await this.#api.dismissMail(d.mail.message_id, false);
      this.done = null;
      await this.list.reload();
      this.open = d.mail;
      this.cursor.select(d.mail.message_id);
      return true;
    } catch (err) {
      this.error = `Couldn't bring the mail back: ${message(err)}`;
      return false;
    } finally {
      this.busy = false;
    }
  }

  async #act(mail: MailRow, run: () => Promise<void>, done: MailDone): Promise<boolean> {
    this.busy = true;
    this.error = '';
    const at = this.list.indexOf(mail.message_id);
    try {
      await run();
    } catch (err) {
      this.error = message(err);
      this.busy = false;
      return false;
    }
    this.done = done;
    try {
      await this.list.reload();
    } finally {
      this.busy = false;
    }
    this.#openAt(at, mail.message_id);
    return true;
  }

  /** #openAt opens the mail now at index at (the one after the mail that left), or nothing. */
  #openAt(at: number, gone: string): void {
    const total = this.list.total;
    const next = at < 0 || total === 0 ? undefined : this.list.rowAt(Math.min(at, total - 1));
    if (next && next.message_id !== gone) {
      this.open = next;
      this.cursor.select(next.message_id);
    } else {
      this.open = null;
      this.cursor.select(null);
    }
  }

  /**
   * suggestions are the sender's latest tickets in a project (any state),
   * to pick the one a mail belongs to; [] when there are none or the
   * search fails (the agent can still type a number).
   */
  async suggestions(projectId: number, email: string): Promise<TicketRow[]> {
    if (email === '') return [];
    try {
      const page = await this.#api.listTickets({
        view: 'all',
        project_id: projectId,
        search: `from:${email.includes(' ') ? `"${email}"` : email}`,
        sort: 'updated',
        offset: 0,
        limit: SUGGESTIONS,
      });
      return page.rows;
    } catch {
      return [];
    }
  }
}
