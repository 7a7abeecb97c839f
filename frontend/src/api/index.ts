// The only module of the page that talks to the Go side. It re-exports the
// bound methods with the page's own types, turns the strings a Go error
// rejects with into Error values, and wraps runtime events with types.

import * as App from '../../wailsjs/go/app/App';
import { app as models } from '../../wailsjs/go/models';
import { ClipboardSetText, EventsOn } from '../../wailsjs/runtime/runtime';
import type {
  About,
  Account,
  AccountKind,
  BulkTriageRequest,
  Check,
  Customer,
  Decision,
  Delivery,
  Draft,
  GitLabForm,
  IdentityForm,
  Macro,
  MailboxForm,
  MailHTML,
  MailPage,
  MailRow,
  OutboxOp,
  Overview,
  PickedFile,
  Prefs,
  ReplyRequest,
  Report,
  SLADue,
  SavedView,
  Security,
  SyncStatus,
  Template,
  ThreadEntry,
  Ticket,
  TicketPage,
  TicketQuery,
  TicketRow,
  TicketSLA,
  TicketsChanged,
  TriageRequest,
} from './types';

export * from './types';

/** An error the Go side returned; message is the sentence it sent. */
export class BackendError extends Error {
  /** The bound method that failed, e.g. "ListTickets". */
  readonly method: string;

  constructor(method: string, message: string) {
    super(message);
    this.name = 'BackendError';
    this.method = method;
  }
}

/** toError makes any rejection value a proper Error with a readable message. */
export function toError(method: string, reason: unknown): Error {
  if (reason instanceof Error) return reason;
  if (typeof reason === 'string') {
    const text = reason.trim();
    return new BackendError(method, text === '' ? `${method} failed.` : text);
  }
  if (reason !== null && typeof reason === 'object' && 'message' in reason) {
    const msg = (reason as { message: unknown }).message;
    if (typeof msg === 'string' && msg.trim() !== '') return new BackendError(method, msg.trim());
  }
  return new BackendError(method, `${method} failed.`);
}

async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (reason) {
    throw toError(method, reason);
  }
}

// Go encodes nil slices as null and the generated types do not say so: the
// normalizers below give the rest of the page arrays it can trust.

function normalizeRow<T extends TicketRow>(row: T): T {
  return { ...row, labels: row.labels ?? [], assignees: row.assignees ?? [], sla: normalizeDue(row.sla) };
}

function normalizeDue(d: SLADue | null | undefined): SLADue | null {
  if (!d || !text(d.due_at)) return null;
  return { clock: text(d.clock), soon_at: text(d.soon_at), due_at: text(d.due_at) };
}

/** A thread entry as it arrives: the mail fields may be missing on notes. */
type WireThreadEntry = Omit<ThreadEntry, 'quoted' | 'message_id' | 'folder' | 'subject' | 'has_html' | 'attachments'> &
  Partial<Pick<ThreadEntry, 'quoted' | 'message_id' | 'folder' | 'subject' | 'has_html'>> & {
    attachments?: ThreadEntry['attachments'] | null;
  };

/** A ticket's customer as it arrives: missing from an older Go side, its list null when empty. */
type WireCustomer = Partial<Omit<Customer, 'tickets'>> & { tickets?: TicketRow[] | null };

interface WireTicket extends Omit<Ticket, 'thread' | 'merge_into' | 'customer_card' | 'first_response_at' | 'ticket_sla'> {
  thread: WireThreadEntry[] | null;
  ticket_sla?: TicketSLA | null;
  merge_into?: number | null;
  customer_card?: WireCustomer | null;
  first_response_at?: string | null;
}

function normalizeEntry(e: WireThreadEntry): ThreadEntry {
  return {
    ...e,
    quoted: text(e.quoted),
    message_id: text(e.message_id),
    folder: text(e.folder),
    subject: text(e.subject),
    has_html: e.has_html === true,
    attachments: (e.attachments ?? []).map((a) => ({ ...a, inline: a.inline === true })),
  };
}

function normalizeTicket(t: WireTicket): Ticket {
  const into = t.merge_into;
  return {
    ...normalizeRow(t),
    merge_into: typeof into === 'number' && Number.isInteger(into) && into > 0 ? into : 0,
    thread: (t.thread ?? []).map(normalizeEntry),
    customer_card: normalizeCustomer(t.customer_card),
    first_response_at: text(t.first_response_at),
    ticket_sla: t.ticket_sla ?? null,
  };
}

function normalizeCustomer(c: WireCustomer | null | undefined): Customer {
  const tickets = (c?.tickets ?? []).map(normalizeRow);
  const total = c?.tickets_total;
  return {
    name: text(c?.name),
    email: text(c?.email),
    organisation: text(c?.organisation),
    domain: text(c?.domain),
    tickets,
    tickets_total: typeof total === 'number' && Number.isInteger(total) && total > tickets.length ? total : tickets.length,
  };
}

/**
 * A sync status as it arrives: fields added later (and the generated
 * bindings until they are regenerated) may be missing, so they are optional
 * here and get their zero values in normalizeStatus.
 */
type WireSyncStatus = Omit<SyncStatus, 'demo_available' | 'error_kind' | 'progress' | 'last_summary'> &
  Partial<Pick<SyncStatus, 'demo_available' | 'error_kind' | 'progress' | 'last_summary'>>;

interface WireOverview extends Omit<Overview, 'status' | 'sla'> {
  status: WireSyncStatus;
  sla?: { active?: boolean; problems?: string[] | null; next_change_at?: string } | null;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function normalizeStatus(s: WireSyncStatus | null | undefined): SyncStatus {
  const progress = s?.progress;
  return {
    syncing: s?.syncing === true,
    online: s?.online === true,
    last_sync_at: text(s?.last_sync_at),
    last_error: text(s?.last_error),
    demo: s?.demo === true,
    has_account: s?.has_account === true,
    demo_available: s?.demo_available === true,
    error_kind: text(s?.error_kind),
    progress: typeof progress === 'number' && Number.isFinite(progress) && progress > 0 ? Math.floor(progress) : 0,
    last_summary: text(s?.last_summary),
  };
}

function normalizeOverview(o: WireOverview): Overview {
  return {
    ...o,
    projects: (o.projects ?? []).map((p) => ({ ...p, labels: p.labels ?? [], members: p.members ?? [] })),
    views: (o.views ?? []).map((v) => ({ ...v, query: text(v.query), error: text(v.error), capped: v.capped === true })),
    status: normalizeStatus(o.status),
    sla: { active: o.sla?.active === true, problems: o.sla?.problems ?? [], next_change_at: text(o.sla?.next_change_at) },
  };
}

/** Views with their counts in one project (0: all projects), the projects and the sync status. */
export function getOverview(projectId = 0): Promise<Overview> {
  return call('Overview', async () => {
    const o: WireOverview = await App.Overview(projectId);
    return normalizeOverview(o);
  });
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 0;
}

function normalizeListRow(r: TicketRow): TicketRow {
  return { ...normalizeRow(r), waiting_since: text(r.waiting_since), unread: r.unread === true, match: text(r.match) };
}

/** One page of the ticket list for a view, project, search and order; a search that does not read is refused with a sentence. */
export function listTickets(q: TicketQuery): Promise<TicketPage> {
  return call('ListTickets', async () => {
    const page: TicketPage | null = await App.ListTickets({ ...q });
    const rows = (page?.rows ?? []).map(normalizeListRow);
    return { rows, offset: count(page?.offset), total: Math.max(count(page?.total), rows.length), capped: page?.capped === true };
  });
}

/** The team's figures for one project (0: all) from one day to another, both included (2026-11-01). */
export function getReport(projectId: number, from: string, to: string): Promise<Report> {
  return call('Report', async () => {
    const r: Report = await App.Report(projectId, from, to);
    return {
      ...r,
      replies_by_agent: r.replies_by_agent ?? [],
      busiest_hours: r.busiest_hours ?? [],
      days: r.days ?? [],
      calendar: text(r.calendar),
    };
  });
}

/** Saves the report as CSV where the agent picks; resolves to the path, "" when they cancelled. */
export function exportReport(projectId: number, from: string, to: string): Promise<string> {
  return call('ExportReport', async () => text(await App.ExportReport(projectId, from, to)));
}

/** Which build this is and where it keeps the agent's data (the About dialog). */
export function about(): Promise<About> {
  return call('About', async () => {
    const a: About = await App.About();
    return { ...a, data_dir: text(a.data_dir), demo: a.demo === true };
  });
}

/** Marks a ticket read (the agent opened it) or unread again. */
export function markRead(projectId: number, iid: number, read: boolean): Promise<void> {
  return call('MarkRead', async (): Promise<void> => App.MarkRead(projectId, iid, read));
}

/** Makes one change to several tickets through the outbox; a rejection names the tickets that failed (the others were queued). */
export function bulkTriage(b: BulkTriageRequest): Promise<OutboxOp[]> {
  return call('BulkTriage', async () => {
    const dto = models.BulkTriageDTO.createFrom({
      tickets: b.tickets.map((t) => ({ project_id: t.project_id, iid: t.iid })),
      add_labels: [...b.add_labels],
      remove_labels: [...b.remove_labels],
      // undefined, not null: the key is left out and the Go side keeps the assignees.
      assignees: b.assignees === null ? undefined : [...b.assignees],
      state: b.state,
    });
    const ops: WireOp[] | null = await App.BulkTriage(dto);
    return (ops ?? []).map(normalizeOp);
  });
}

// Saved views: a name and a search, listed in the overview as view:ID.

function normalizeSavedView(v: SavedView | null): SavedView {
  return { id: count(v?.id), name: text(v?.name), query: text(v?.query) };
}

/** Adds (id 0) or changes a saved view; a search that does not read is refused with a sentence. */
export function saveView(v: SavedView): Promise<SavedView> {
  return call('SaveView', async () => normalizeSavedView(await App.SaveView({ ...v })));
}

/** Deletes a saved view. */
export function deleteView(id: number): Promise<void> {
  return call('DeleteView', async (): Promise<void> => App.DeleteView(id));
}

// Mail without a ticket: inbound mail the linker could not place.

type WireMailRow = Omit<MailRow, 'attachments'> & { attachments: MailRow['attachments'] | null };

function normalizeMailRow(m: WireMailRow): MailRow {
  return {
    message_id: text(m.message_id),
    subject: text(m.subject),
    from_name: text(m.from_name),
    from_email: text(m.from_email),
    date: text(m.date),
    snippet: text(m.snippet),
    body: text(m.body),
    quoted: text(m.quoted),
    folder: text(m.folder),
    has_html: m.has_html === true,
    attachments: (m.attachments ?? []).map((a) => ({ ...a, inline: a.inline === true })),
  };
}

/** One page of the mail without a ticket, newest first. */
export function unlinkedMail(offset: number, limit: number): Promise<MailPage> {
  return call('UnlinkedMail', async () => {
    const page: { rows: WireMailRow[] | null; offset: number; total: number } | null = await App.UnlinkedMail(offset, limit);
    const rows = (page?.rows ?? []).map(normalizeMailRow);
    return { rows, offset: count(page?.offset), total: Math.max(count(page?.total), rows.length) };
  });
}

/** Puts a mail without a ticket into a ticket's thread; tickets:changed follows. */
export function linkMail(messageId: string, projectId: number, iid: number): Promise<void> {
  return call('LinkMail', async (): Promise<void> => App.LinkMail(messageId, projectId, iid));
}

/** Sets a mail without a ticket aside (dismiss false: brings it back); tickets:changed follows. */
export function dismissMail(messageId: string, dismiss: boolean): Promise<void> {
  return call('DismissMail', async (): Promise<void> => App.DismissMail(messageId, dismiss));
}

/** One ticket with its thread. */
export function getTicket(projectId: number, iid: number): Promise<Ticket> {
  return call('GetTicket', async () => {
    // Typed as Ticket first: the generated class must match the page's type.
    const t: Ticket = await App.GetTicket(projectId, iid);
    return normalizeTicket(t);
  });
}

// Mail. The HTML arrives sanitized and is only ever shown inside a sandboxed
// iframe without scripts (components/MailCard.svelte); links and attachments
// go back to the Go side, which checks them: the page never navigates.

/** A mail's sanitized HTML, how many remote images it has and whether the agent allowed them. */
export function messageHTML(messageId: string): Promise<MailHTML> {
  return call('MessageHTML', async () => {
    const m: MailHTML | null = await App.MessageHTML(messageId);
    const n = m?.remote_images;
    return {
      html: text(m?.html),
      remote_images: typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0,
      remote_allowed: m?.remote_allowed === true,
      sender_allowed: m?.sender_allowed === true,
    };
  });
}

/** Lets a mail's remote images load from now on; with sender, those of every mail from its sender. */
export function allowRemoteImages(messageId: string, sender: boolean): Promise<void> {
  return call('AllowRemoteImages', async (): Promise<void> => App.AllowRemoteImages(messageId, sender));
}

/** Asks where to save an attachment and writes it; the saved path, or "" when cancelled. */
export function saveAttachment(messageId: string, index: number): Promise<string> {
  return call('SaveAttachment', async () => text(await App.SaveAttachment(messageId, index)));
}

/** Opens an http(s) or mailto link in the system browser after the Go side checks it. */
export function openLink(url: string): Promise<void> {
  return call('OpenLink', async (): Promise<void> => App.OpenLink(url));
}

/** Puts text on the system clipboard (an address the agent copies). */
export function copyText(value: string): Promise<void> {
  return call('ClipboardSetText', async () => {
    if (!(await ClipboardSetText(value))) throw new BackendError('ClipboardSetText', "Couldn't copy to the clipboard.");
  });
}

/** Asks the Go side to sync now; progress arrives as onSyncState events. */
export function syncNow(): Promise<void> {
  return call('SyncNow', async (): Promise<void> => App.SyncNow());
}

// Accounts. The forms may carry a secret to the Go side; nothing here keeps,
// logs or returns one. A rejection is the Go side's sentence, never the form.

/** An account as the generated bindings type it: the enums are plain strings. */
interface WireAccount extends Omit<Account, 'kind' | 'security' | 'delivery' | 'folders'> {
  kind: string;
  security: string;
  delivery: string;
  folders: string[] | null;
}

interface WireCheck extends Omit<Check, 'details'> {
  details: string[] | null;
}

const KINDS: readonly string[] = ['gitlab', 'imap', 'smtp'] satisfies AccountKind[];
const SECURITIES: readonly string[] = ['tls', 'starttls', 'none', ''] satisfies Security[];
const DELIVERIES: readonly string[] = ['gitlab', 'smtp', ''] satisfies Delivery[];

function isKind(k: string): k is AccountKind {
  return KINDS.includes(k);
}

function normalizeAccount(a: WireAccount & { kind: AccountKind }): Account {
  return {
    ...a,
    folders: a.folders ?? [],
    security: SECURITIES.includes(a.security) ? (a.security as Security) : '',
    delivery: DELIVERIES.includes(a.delivery) ? (a.delivery as Delivery) : '',
    signature: text(a.signature),
  };
}

function normalizeCheck(c: WireCheck): Check {
  return { ok: c.ok === true, summary: c.summary ?? '', details: c.details ?? [], problem: c.problem ?? '' };
}

/** The saved accounts, without secrets. Kinds this page does not know are left out. */
export function listAccounts(): Promise<Account[]> {
  return call('Accounts', async () => {
    const all: WireAccount[] | null = await App.Accounts();
    return (all ?? []).filter((a): a is WireAccount & { kind: AccountKind } => isKind(a.kind)).map(normalizeAccount);
  });
}

async function savedAccount(method: string, run: () => Promise<WireAccount>): Promise<Account> {
  return call(method, async () => {
    const a = await run();
    if (!isKind(a.kind)) throw new BackendError(method, `${method} returned an account of unknown kind "${a.kind}".`);
    return normalizeAccount(a as WireAccount & { kind: AccountKind });
  });
}

/** Connects with a GitLab form's values without saving. */
export function testGitLab(f: GitLabForm): Promise<Check> {
  return call('TestGitLab', async () => normalizeCheck(await App.TestGitLab({ ...f })));
}

/** Tests and saves a GitLab account; a sync starts on success. */
export function saveGitLab(f: GitLabForm): Promise<Account> {
  return savedAccount('SaveGitLab', () => App.SaveGitLab({ ...f }));
}

/** Connects to the IMAP server with the form's values without saving. */
export function testMailbox(f: MailboxForm): Promise<Check> {
  return call('TestMailbox', async () => normalizeCheck(await App.TestMailbox({ ...f, folders: [...f.folders] })));
}

/** Tests and saves the brand's mailbox. */
export function saveMailbox(f: MailboxForm): Promise<Account> {
  return savedAccount('SaveMailbox', () => App.SaveMailbox({ ...f, folders: [...f.folders] }));
}

/** Connects to the SMTP server with the identity's values without sending. */
export function testIdentity(f: IdentityForm): Promise<Check> {
  return call('TestIdentity', async () => normalizeCheck(await App.TestIdentity({ ...f })));
}

/** Tests and saves a sending identity. */
export function saveIdentity(f: IdentityForm): Promise<Account> {
  return savedAccount('SaveIdentity', () => App.SaveIdentity({ ...f }));
}

/** Tests a saved account with its stored secret. */
export function testAccount(id: number): Promise<Check> {
  return call('TestAccount', async () => normalizeCheck(await App.TestAccount(id)));
}

/** Deletes an account, its keychain item and its cached data; tickets:changed follows. */
export function removeAccount(id: number): Promise<void> {
  return call('RemoveAccount', async (): Promise<void> => App.RemoveAccount(id));
}

/** Switches the window to a throw-away demo profile; tickets:changed and sync:state follow. */
export function tryDemo(): Promise<void> {
  return call('TryDemo', async (): Promise<void> => App.TryDemo());
}

// The outbox and drafts. Replies and changes are queued on the Go side and
// leave from there; outbox:changed events say how they move.

/** An op as it arrives: Go's nil slices are null. */
type WireOp = Omit<OutboxOp, 'add_labels' | 'remove_labels' | 'assignees' | 'add_cc' | 'remove_cc'> & {
  add_labels: string[] | null;
  remove_labels: string[] | null;
  assignees: string[] | null;
  add_cc: string[] | null;
  remove_cc: string[] | null;
};

export function normalizeOp(op: WireOp): OutboxOp {
  return {
    ...op,
    reason: text(op.reason),
    retryable: op.retryable === true,
    body: text(op.body),
    add_labels: op.add_labels ?? [],
    remove_labels: op.remove_labels ?? [],
    assignees: op.assignees ?? [],
    add_cc: op.add_cc ?? [],
    remove_cc: op.remove_cc ?? [],
    state_change: text(op.state_change),
    merge_into: typeof op.merge_into === 'number' ? op.merge_into : 0,
    delivery: text(op.delivery),
    send_at: text(op.send_at),
    next_try_at: text(op.next_try_at),
  };
}

/** Queues a reply or internal note (and deletes the ticket's draft); it leaves after the undo window or at send_at. */
export function reply(r: ReplyRequest): Promise<OutboxOp> {
  return call('Reply', async () => {
    const op: OutboxOp = await App.Reply({ ...r });
    return normalizeOp(op);
  });
}

/** Opens the system's file dialog; the files picked come back as tokens for reply(). [] when cancelled. */
export function pickAttachments(): Promise<PickedFile[]> {
  return call('PickAttachments', async () => {
    const files: PickedFile[] | null = await App.PickAttachments();
    return (files ?? []).map((f) => ({ token: text(f.token), name: text(f.name), size: typeof f.size === 'number' ? f.size : 0 }));
  });
}

/** Closes ticket from as a duplicate of ticket into, its content copied there as an internal note (through the outbox). */
export function merge(projectId: number, from: number, into: number): Promise<OutboxOp> {
  return call('Merge', async () => {
    const op: OutboxOp = await App.Merge(projectId, from, into);
    return normalizeOp(op);
  });
}

/** Takes back an op that has not left; a reply's text goes back into the ticket's draft. */
export function undo(opId: string): Promise<void> {
  return call('Undo', async (): Promise<void> => App.Undo(opId));
}

/** Queues changes of a ticket, one op per kind; they leave at once. */
export function triage(t: TriageRequest): Promise<OutboxOp[]> {
  return call('Triage', async () => {
    // undefined, not null: the key is left out and the Go side keeps the assignees.
    const ops: WireOp[] | null = await App.Triage({ ...t, assignees: t.assignees ?? undefined });
    return (ops ?? []).map(normalizeOp);
  });
}

/** The ops that have not finished; with withDone, the recorded ones kept too. */
export function outbox(withDone: boolean): Promise<OutboxOp[]> {
  return call('Outbox', async () => {
    const ops: WireOp[] | null = await App.Outbox(withDone);
    return (ops ?? []).map(normalizeOp);
  });
}

/** Applies the agent's decision about an op that stopped. */
export function decide(opId: string, decision: Decision): Promise<void> {
  return call('Decide', async (): Promise<void> => App.Decide(opId, decision));
}

function normalizeDraft(d: Draft | null, projectId: number, iid: number): Draft {
  return {
    project_id: d?.project_id || projectId,
    iid: d?.iid || iid,
    body: text(d?.body),
    internal: d?.internal === true,
    saved_at: text(d?.saved_at),
  };
}

/** Saves the reply being written on a ticket; an empty body deletes the draft. */
export function saveDraft(d: Draft): Promise<Draft> {
  return call('SaveDraft', async () => {
    const saved: Draft | null = await App.SaveDraft({ ...d });
    return normalizeDraft(saved, d.project_id, d.iid);
  });
}

/** The ticket's draft; an empty one (saved_at "") when there is none. */
export function getDraft(projectId: number, iid: number): Promise<Draft> {
  return call('GetDraft', async () => {
    const d: Draft | null = await App.GetDraft(projectId, iid);
    return normalizeDraft(d, projectId, iid);
  });
}

// Reply templates. A template's body is inserted as it is; the Go side fills
// in its {{variables}} when the reply is queued.

function normalizeTemplate(t: Template | null): Template {
  return {
    id: typeof t?.id === 'number' ? t.id : 0,
    name: text(t?.name),
    body: text(t?.body),
    updated_at: text(t?.updated_at),
    project_id: typeof t?.project_id === 'number' ? t.project_id : 0,
    path: text(t?.path),
    problem: text(t?.problem),
  };
}

/** The agent's own templates and the team's shared ones (each with its file, and a problem when it cannot be used). */
export function templates(): Promise<Template[]> {
  return call('Templates', async () => {
    const all: Template[] | null = await App.Templates();
    return (all ?? []).map(normalizeTemplate);
  });
}

/**
 * Adds (id 0) or changes one of the agent's templates; an unknown variable, a
 * taken name or a shared template (path set: it is changed in its repository)
 * is refused with a sentence.
 */
export function saveTemplate(t: Template): Promise<Template> {
  return call('SaveTemplate', async () => {
    const saved: Template | null = await App.SaveTemplate({ ...t });
    return normalizeTemplate(saved);
  });
}

/** Deletes a template. */
export function deleteTemplate(id: number): Promise<void> {
  return call('DeleteTemplate', async (): Promise<void> => App.DeleteTemplate(id));
}

/** The variables a template may use, e.g. "customer.first_name". */
export function templateVariables(): Promise<string[]> {
  return call('TemplateVariables', async () => {
    const names: string[] | null = await App.TemplateVariables();
    return (names ?? []).filter((n) => typeof n === 'string' && n !== '');
  });
}

// The team's macros: named actions on a ticket, read from each project's
// repository. Applying one queues all its ops at once, held together for the
// undo window; outbox:changed events follow them.

function normalizeMacro(m: Partial<Omit<Macro, 'actions'>> & { actions?: string[] | null }): Macro {
  return {
    project_id: count(m.project_id),
    path: text(m.path),
    name: text(m.name),
    description: text(m.description),
    actions: (m.actions ?? []).filter((a) => typeof a === 'string' && a !== ''),
    problem: text(m.problem),
  };
}

/** The macros of a project (0: of every project), a broken one with its problem. */
export function macros(projectId: number): Promise<Macro[]> {
  return call('Macros', async () => {
    const all: Array<Parameters<typeof normalizeMacro>[0] | null> | null = await App.Macros(projectId);
    return (all ?? []).filter((m) => m !== null).map(normalizeMacro);
  });
}

/** Queues every action of a macro on a ticket; the ops come back in the order they leave. Refused with a sentence. */
export function applyMacro(projectId: number, iid: number, name: string): Promise<OutboxOp[]> {
  return call('ApplyMacro', async () => {
    const ops: WireOp[] | null = await App.ApplyMacro(projectId, iid, name);
    return (ops ?? []).map(normalizeOp);
  });
}

// The window's preferences: pane widths and notifications.

function width(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0;
}

/** The remembered preferences; widths 0 (the default) when unset, notifications on unless turned off. */
export function getPrefs(): Promise<Prefs> {
  return call('GetPrefs', async () => {
    const p: Partial<Prefs> | null = await App.GetPrefs();
    return { sidebar_width: width(p?.sidebar_width), list_width: width(p?.list_width), notify: p?.notify !== false };
  });
}

/** Remembers the preferences; the Go side keeps the window's size as it is. */
export function savePrefs(p: Prefs): Promise<void> {
  return call(
    'SavePrefs',
    async (): Promise<void> =>
      App.SavePrefs({ sidebar_width: width(p.sidebar_width), list_width: width(p.list_width), notify: p.notify, window_width: 0, window_height: 0 }),
  );
}

/** Event names, as app/dto.go declares them. */
export const EVENT_SYNC_STATE = 'sync:state';
export const EVENT_TICKETS_CHANGED = 'tickets:changed';
export const EVENT_OUTBOX_CHANGED = 'outbox:changed';

/** Calls cb with every sync status the Go side emits. Returns an unsubscribe function. */
export function onSyncState(cb: (status: SyncStatus) => void): () => void {
  return EventsOn(EVENT_SYNC_STATE, (payload: WireSyncStatus | null) => cb(normalizeStatus(payload)));
}

/** Calls cb after a sync changed tickets. Returns an unsubscribe function. */
export function onTicketsChanged(cb: (change: TicketsChanged) => void): () => void {
  return EventsOn(EVENT_TICKETS_CHANGED, (payload: TicketsChanged | null) => {
    cb({
      project_ids: payload?.project_ids ?? [],
      count: payload?.count ?? 0,
    });
  });
}

/** Calls cb with the ops that moved (state "undone": gone). Returns an unsubscribe function. */
export function onOutboxChanged(cb: (ops: OutboxOp[]) => void): () => void {
  return EventsOn(EVENT_OUTBOX_CHANGED, (payload: WireOp[] | null) => {
    cb((Array.isArray(payload) ? payload : []).map(normalizeOp));
  });
}
