// Test data and a fake Go side for unit tests.

import type { Api } from '../lib/app-state.svelte';
import type {
  About,
  Report,
  Account,
  AccountKind,
  BulkTriageRequest,
  Check,
  Customer,
  Decision,
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
  Project,
  ReplyRequest,
  SavedView,
  SyncStatus,
  Template,
  ThreadEntry,
  Ticket,
  TicketPage,
  TicketQuery,
  TicketRow,
  TicketsChanged,
  TriageRequest,
  View,
} from '../api/types';

export const NOW = Date.parse('2024-06-15T12:00:00Z');

export function row(iid: number, over: Partial<TicketRow> = {}): TicketRow {
  return {
    project_id: 7,
    project: 'acme/support',
    iid,
    title: `Ticket number ${iid}`,
    state: 'opened',
    customer: `customer${iid}@example.com`,
    labels: [],
    assignees: [],
    snippet: `Snippet of ticket ${iid}`,
    needs_reply: false,
    created_at: '2024-06-15T10:00:00Z',
    updated_at: '2024-06-15T11:00:00Z',
    last_activity_at: '2024-06-15T11:00:00Z',
    waiting_since: '',
    unread: false,
    match: '',
    ...over,
  };
}

/** A mail without a ticket. */
export function mailRow(n: number, over: Partial<MailRow> = {}): MailRow {
  return {
    message_id: `m${n}@mail.example.com`,
    subject: `Question number ${n}`,
    from_name: `Sender ${n}`,
    from_email: `sender${n}@example.com`,
    date: '2024-06-15T09:00:00Z',
    snippet: `Snippet of mail ${n}`,
    body: `Hello, this is mail ${n}.`,
    quoted: '',
    folder: 'INBOX',
    has_html: false,
    attachments: [],
    ...over,
  };
}

export function ticket(iid: number, over: Partial<Ticket> = {}): Ticket {
  const base = row(iid);
  return {
    ...base,
    merge_into: 0,
    description: `Hello, I need help with ${iid}.`,
    web_url: `https://gitlab.example.com/acme/support/-/issues/${iid}`,
    confidential: true,
    closed_at: '',
    thread: [],
    customer_card: customer({ email: over.customer ?? base.customer }),
    first_response_at: '',
    ...over,
  };
}

/** A ticket's customer without other tickets; the domain and organisation follow the address. */
export function customer(over: Partial<Customer> = {}): Customer {
  const domain = (over.email ?? '').split('@')[1] ?? '';
  return { name: '', email: '', organisation: '', domain, tickets: [], tickets_total: over.tickets?.length ?? 0, ...over };
}

/** A GitLab note of the thread (the mail fields empty). */
export function entry(over: Partial<ThreadEntry> & Pick<ThreadEntry, 'kind'>): ThreadEntry {
  return {
    author: 'bob',
    author_name: 'Bob Agent',
    body: '',
    quoted: '',
    created_at: '2024-06-15T10:30:00Z',
    message_id: '',
    folder: '',
    subject: '',
    has_html: false,
    attachments: [],
    ...over,
  };
}

/** A mail of the brand's mailbox in the thread. */
export function mailEntry(over: Partial<ThreadEntry> = {}): ThreadEntry {
  return entry({
    kind: 'mail',
    author: 'ann@example.com',
    author_name: 'Ann Customer',
    body: 'My invoice is wrong.',
    created_at: '2024-06-15T10:05:00Z',
    message_id: 'abc123@mail.example.com',
    folder: 'INBOX',
    subject: 'Invoice 1234 is wrong',
    has_html: false,
    attachments: [],
    ...over,
  });
}

/** An op of the outbox: a queued reply on ticket 7:1 unless over says otherwise. */
export function op(id: string, over: Partial<OutboxOp> = {}): OutboxOp {
  return {
    id,
    project_id: 7,
    iid: 1,
    kind: 'reply',
    state: 'queued',
    reason: '',
    retryable: false,
    attempts: 0,
    body: 'Thanks, the refund is on its way.',
    add_labels: [],
    remove_labels: [],
    assignees: [],
    state_change: '',
    merge_into: 0,
    add_cc: [],
    remove_cc: [],
    delivery: 'gitlab',
    send_at: '2024-06-15T12:00:10Z',
    next_try_at: '',
    created_at: '2024-06-15T12:00:00Z',
    updated_at: '2024-06-15T12:00:00Z',
    ...over,
  };
}

export function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    syncing: false,
    online: true,
    last_sync_at: '2024-06-15T11:58:00Z',
    last_error: '',
    demo: false,
    has_account: true,
    demo_available: true,
    error_kind: '',
    progress: 0,
    last_summary: '',
    ...over,
  };
}

/** A view of the left pane; a saved one (view:ID) has a query. */
export function view(id: string, name: string, count: number, over: Partial<View> = {}): View {
  return { id, name, count, query: '', error: '', capped: false, ...over };
}

/** A project without labels or members. */
export function project(id: number, name: string, over: Partial<Project> = {}): Project {
  return { id, path: `acme/${name.toLowerCase()}`, name, labels: [], members: [], ...over };
}

/** One of the agent's own templates. */
export function template(id: number, name: string, body: string): Template {
  return { id, name, body, updated_at: '', project_id: 0, path: '', problem: '' };
}

/** A team template: a file of a project's repository (id 0), with the problem that keeps it from being used. */
export function teamTemplate(projectId: number, file: string, name: string, body: string, problem = ''): Template {
  return { id: 0, name, body, updated_at: '', project_id: projectId, path: `.gitlab/service_desk_desktop/templates/${file}`, problem };
}

export function overview(over: Partial<Overview> = {}): Overview {
  return {
    projects: [{ id: 7, path: 'acme/support', name: 'Support', labels: [{ name: 'billing', color: '#d9534f' }], members: [{ username: 'alex.morgan', name: 'Alex Morgan' }] }],
    views: [
      view('needs_reply', 'Needs reply', 2),
      view('unassigned', 'Unassigned', 1),
      view('open', 'All open', 3),
      view('closed', 'Closed', 4),
      view('all', 'All', 7),
    ],
    status: status(),
    sla: { active: false, problems: [], next_change_at: '' },
    ...over,
  };
}

export function account(id: number, kind: AccountKind, over: Partial<Account> = {}): Account {
  const base: Account = {
    id,
    kind,
    name: '',
    url: '',
    username: '',
    host: '',
    port: 0,
    security: '',
    login: '',
    project_id: 0,
    project: '',
    folders: [],
    from_address: '',
    from_name: '',
    delivery: '',
    signature: '',
  };
  switch (kind) {
    case 'gitlab':
      Object.assign(base, { name: 'Acme GitLab', url: 'https://gitlab.example.com', username: 'agent', project_id: 7, project: 'acme/support' });
      break;
    case 'imap':
      Object.assign(base, { name: 'Support inbox', host: 'imap.acme.com', port: 993, security: 'tls', login: 'support@acme.com', folders: ['INBOX', 'Sent'] });
      break;
    case 'smtp':
      Object.assign(base, {
        name: 'support@acme.com',
        host: 'smtp.acme.com',
        port: 465,
        security: 'tls',
        login: 'support@acme.com',
        project_id: 7,
        project: 'acme/support',
        from_address: 'support@acme.com',
        from_name: 'Acme Support',
        delivery: 'smtp',
      });
      break;
  }
  return { ...base, ...over };
}

export function check(over: Partial<Check> = {}): Check {
  return { ok: true, summary: 'Connected and signed in.', details: [], problem: '', ...over };
}

type FormCall =
  | { method: 'testGitLab' | 'saveGitLab'; form: GitLabForm }
  | { method: 'testMailbox' | 'saveMailbox'; form: MailboxForm }
  | { method: 'testIdentity' | 'saveIdentity'; form: IdentityForm };

/** A mail's HTML as the fake Go side has it: with_images is the HTML once its remote images are allowed. */
export interface FakeMailHTML {
  html: string;
  remote_images: number;
  with_images?: string;
}

/** A fake Go side whose answers tests set, recording the calls it got. */
export class FakeApi implements Api {
  overviewResult: Overview | Error = overview();
  rows: TicketRow[] | Error = [row(1), row(2), row(3)];
  /** The projects getOverview was asked for, in order. */
  overviewProjects: number[] = [];
  tickets = new Map<number, Ticket | Error>();
  queries: TicketQuery[] = [];
  opened: Array<[number, number]> = [];
  syncCalls = 0;
  accountList: Account[] | Error = [];
  /** The answer of every Test call (TestGitLab, TestMailbox, TestIdentity, TestAccount). */
  checkResult: Check | Error = check();
  /** The answer of every Save call; by default the saved form as an account. */
  saveResult: Account | Error | null = null;
  formCalls: FormCall[] = [];
  testedAccounts: number[] = [];
  removedAccounts: number[] = [];
  removeResult: Error | null = null;
  demoCalls = 0;
  demoResult: Error | null = null;
  /** MessageHTML's answer per message id; an unknown id has no HTML. */
  mailHtml = new Map<string, FakeMailHTML | Error>();
  htmlCalls: string[] = [];
  /** The sender of each message id, for AllowRemoteImages(id, true). */
  mailSenders = new Map<string, string>();
  /** AllowRemoteImages' answer: an Error to reject with. */
  allowResult: Error | null = null;
  allowCalls: Array<[string, boolean]> = [];
  /** Message ids, and "from:" + sender addresses, whose remote images were allowed. */
  allowed = new Set<string>();
  /** SaveAttachment's answer: the saved path, "" (cancelled) or an Error. */
  saveAttachmentResult: string | Error = '/home/agent/Downloads/file';
  savedAttachments: Array<[string, number]> = [];
  /** OpenLink's answer: an Error to reject with. */
  openLinkResult: Error | null = null;
  openedLinks: string[] = [];
  /** When set, Test and Save calls wait for it. */
  gate: Promise<void> | null = null;
  /** Drafts by "project:iid", as the Go side keeps them. */
  drafts = new Map<string, Draft>();
  draftSaves: Draft[] = [];
  /** SaveDraft's and GetDraft's answer: an Error to reject with. */
  draftResult: Error | null = null;
  /** When set, SaveDraft waits for it. */
  draftGate: Promise<void> | null = null;
  /** The unfinished ops, as Outbox(false) lists them. */
  ops: OutboxOp[] = [];
  outboxResult: Error | null = null;
  replies: ReplyRequest[] = [];
  replyResult: Error | null = null;
  triages: TriageRequest[] = [];
  triageResult: Error | null = null;
  undone: string[] = [];
  decisions: Array<[string, Decision]> = [];
  decideResult: Error | null = null;
  /** What the next PickAttachments gives (the agent's choice in the dialog), or an Error. */
  picks: Array<PickedFile[] | Error> = [];
  merges: Array<[number, number, number]> = [];
  mergeResult: Error | null = null;
  /** The agent's own templates and the team's (path set), as the Go side lists them. */
  templateList: Template[] = [];
  variableNames = ['customer.name', 'customer.first_name', 'customer.email', 'ticket.iid', 'ticket.title', 'agent.name'];
  /** SaveTemplate's answer: an Error to reject with (the Go side's sentence). */
  templateResult: Error | null = null;
  templateSaves: Template[] = [];
  deletedTemplates: number[] = [];
  /** The team's macros of every project, as the Go side lists them; an Error to reject with. */
  macroList: Macro[] | Error = [];
  /** The projects Macros was asked for, in order. */
  macroLoads: number[] = [];
  /** ApplyMacro's answer: an Error to reject with (nothing queued then). */
  applyMacroResult: Error | null = null;
  appliedMacros: Array<[number, number, string]> = [];
  /** A search's answer when set: an Error is the Go side refusing the search. */
  searchResult: Error | null = null;
  reads: Array<[number, number, boolean]> = [];
  markReadResult: Error | null = null;
  bulks: BulkTriageRequest[] = [];
  bulkResult: Error | null = null;
  /** The saved views, as the Go side keeps them (the overview lists them after the built-in views). */
  savedViews: SavedView[] = [];
  /** Saved views (view:ID) whose count the Go side capped. */
  cappedViews = new Set<string>();
  viewSaves: SavedView[] = [];
  viewResult: Error | null = null;
  deletedViews: number[] = [];
  /** The mail without a ticket; those dismissed are left out of UnlinkedMail. */
  mails: MailRow[] | Error = [mailRow(1), mailRow(2), mailRow(3)];
  dismissed = new Set<string>();
  links: Array<[string, number, number]> = [];
  linkResult: Error | null = null;
  dismissals: Array<[string, boolean]> = [];
  /** The window's preferences, as the Go side keeps them; GetPrefs' answer when an Error. */
  savedPrefs: Prefs | Error = { sidebar_width: 0, list_width: 0, notify: true };
  prefsSaves: Prefs[] = [];
  #templateSeq = 0;
  #opSeq = 0;
  #saveSeq = 0;
  #syncListeners = new Set<(s: SyncStatus) => void>();
  #changeListeners = new Set<(c: TicketsChanged) => void>();
  #outboxListeners = new Set<(ops: OutboxOp[]) => void>();

  async getOverview(projectId: number): Promise<Overview> {
    this.overviewProjects.push(projectId);
    if (this.overviewResult instanceof Error) throw this.overviewResult;
    const saved = this.savedViews.map((v) =>
      view(`view:${v.id}`, v.name, Array.isArray(this.rows) ? this.rows.length : 0, { query: v.query, capped: this.cappedViews.has(`view:${v.id}`) }),
    );
    return saved.length === 0 ? this.overviewResult : { ...this.overviewResult, views: [...this.overviewResult.views, ...saved] };
  }

  /** The rows [offset, offset+limit) of this.rows; searchResult, when set, answers searches. */
  async listTickets(q: TicketQuery): Promise<TicketPage> {
    this.queries.push({ ...q });
    if (q.search !== '' && this.searchResult) throw this.searchResult;
    if (this.rows instanceof Error) throw this.rows;
    return { rows: this.rows.slice(q.offset, q.offset + q.limit), offset: q.offset, total: this.rows.length, capped: false };
  }

  async markRead(projectId: number, iid: number, read: boolean): Promise<void> {
    this.reads.push([projectId, iid, read]);
    if (this.markReadResult) throw this.markReadResult;
  }

  async bulkTriage(b: BulkTriageRequest): Promise<OutboxOp[]> {
    this.bulks.push(structuredClone(b));
    if (this.bulkResult) throw this.bulkResult;
    return b.tickets.map((t) => op(`op${++this.#opSeq}`, { ...t, kind: b.state !== '' ? 'state' : b.assignees !== null ? 'assign' : 'labels', body: '', send_at: '' }));
  }

  async saveView(v: SavedView): Promise<SavedView> {
    this.viewSaves.push({ ...v });
    if (this.viewResult) throw this.viewResult;
    const saved = { ...v, id: v.id || 40 + this.savedViews.length + 1 };
    this.savedViews = [...this.savedViews.filter((x) => x.id !== saved.id), saved];
    return { ...saved };
  }

  async deleteView(id: number): Promise<void> {
    this.deletedViews.push(id);
    this.savedViews = this.savedViews.filter((v) => v.id !== id);
  }

  async unlinkedMail(offset: number, limit: number): Promise<MailPage> {
    if (this.mails instanceof Error) throw this.mails;
    const shown = this.mails.filter((m) => !this.dismissed.has(m.message_id));
    return { rows: shown.slice(offset, offset + limit), offset, total: shown.length };
  }

  async linkMail(messageId: string, projectId: number, iid: number): Promise<void> {
    this.links.push([messageId, projectId, iid]);
    if (this.linkResult) throw this.linkResult;
    if (Array.isArray(this.mails)) this.mails = this.mails.filter((m) => m.message_id !== messageId);
  }

  async dismissMail(messageId: string, dismiss: boolean): Promise<void> {
    this.dismissals.push([messageId, dismiss]);
    if (dismiss) this.dismissed.add(messageId);
    else this.dismissed.delete(messageId);
  }

  async getTicket(projectId: number, iid: number): Promise<Ticket> {
    this.opened.push([projectId, iid]);
    const t = this.tickets.get(iid) ?? ticket(iid);
    if (t instanceof Error) throw t;
    return t;
  }

  async syncNow(): Promise<void> {
    this.syncCalls++;
  }

  async listAccounts(): Promise<Account[]> {
    if (this.accountList instanceof Error) throw this.accountList;
    return this.accountList;
  }

  async #check(): Promise<Check> {
    if (this.gate) await this.gate;
    if (this.checkResult instanceof Error) throw this.checkResult;
    return this.checkResult;
  }

  async #save(kind: AccountKind, f: { id: number; name: string }): Promise<Account> {
    if (this.gate) await this.gate;
    if (this.saveResult instanceof Error) throw this.saveResult;
    return this.saveResult ?? account(f.id || 99, kind, { name: f.name });
  }

  testGitLab(form: GitLabForm): Promise<Check> {
    this.formCalls.push({ method: 'testGitLab', form: { ...form } });
    return this.#check();
  }

  saveGitLab(form: GitLabForm): Promise<Account> {
    this.formCalls.push({ method: 'saveGitLab', form: { ...form } });
    return this.#save('gitlab', form);
  }

  testMailbox(form: MailboxForm): Promise<Check> {
    this.formCalls.push({ method: 'testMailbox', form: { ...form } });
    return this.#check();
  }

  saveMailbox(form: MailboxForm): Promise<Account> {
    this.formCalls.push({ method: 'saveMailbox', form: { ...form } });
    return this.#save('imap', form);
  }

  testIdentity(form: IdentityForm): Promise<Check> {
    this.formCalls.push({ method: 'testIdentity', form: { ...form } });
    return this.#check();
  }

  saveIdentity(form: IdentityForm): Promise<Account> {
    this.formCalls.push({ method: 'saveIdentity', form: { ...form } });
    return this.#save('smtp', form);
  }

  testAccount(id: number): Promise<Check> {
    this.testedAccounts.push(id);
    return this.#check();
  }

  async removeAccount(id: number): Promise<void> {
    this.removedAccounts.push(id);
    if (this.removeResult) throw this.removeResult;
    if (Array.isArray(this.accountList)) this.accountList = this.accountList.filter((a) => a.id !== id);
  }

  async tryDemo(): Promise<void> {
    this.demoCalls++;
    if (this.gate) await this.gate;
    if (this.demoResult) throw this.demoResult;
  }

  async messageHTML(messageId: string): Promise<MailHTML> {
    this.htmlCalls.push(messageId);
    if (this.gate) await this.gate;
    const m = this.mailHtml.get(messageId) ?? { html: '', remote_images: 0 };
    if (m instanceof Error) throw m;
    const sender = this.allowed.has(`from:${this.mailSenders.get(messageId) ?? ''}`);
    const allowed = sender || this.allowed.has(messageId);
    return {
      html: allowed && m.with_images !== undefined ? m.with_images : m.html,
      remote_images: m.remote_images,
      remote_allowed: allowed,
      sender_allowed: sender,
    };
  }

  async allowRemoteImages(messageId: string, sender: boolean): Promise<void> {
    this.allowCalls.push([messageId, sender]);
    if (this.gate) await this.gate;
    if (this.allowResult) throw this.allowResult;
    this.allowed.add(messageId);
    if (sender) this.allowed.add(`from:${this.mailSenders.get(messageId) ?? ''}`);
  }

  async saveAttachment(messageId: string, index: number): Promise<string> {
    this.savedAttachments.push([messageId, index]);
    if (this.gate) await this.gate;
    if (this.saveAttachmentResult instanceof Error) throw this.saveAttachmentResult;
    return this.saveAttachmentResult;
  }

  async openLink(url: string): Promise<void> {
    this.openedLinks.push(url);
    if (this.openLinkResult) throw this.openLinkResult;
  }

  async getDraft(projectId: number, iid: number): Promise<Draft> {
    if (this.draftResult) throw this.draftResult;
    return this.drafts.get(`${projectId}:${iid}`) ?? { project_id: projectId, iid, body: '', internal: false, saved_at: '' };
  }

  async saveDraft(d: Draft): Promise<Draft> {
    this.draftSaves.push({ ...d });
    if (this.draftGate) await this.draftGate;
    if (this.draftResult) throw this.draftResult;
    const key = `${d.project_id}:${d.iid}`;
    if (d.body.trim() === '') {
      this.drafts.delete(key);
      return { ...d, body: '', saved_at: '' };
    }
    const saved = { ...d, saved_at: new Date(NOW + ++this.#saveSeq * 1000).toISOString() };
    this.drafts.set(key, saved);
    return saved;
  }

  async outbox(withDone: boolean): Promise<OutboxOp[]> {
    if (this.outboxResult) throw this.outboxResult;
    return this.ops.filter((o) => withDone || o.state !== 'recorded');
  }

  async reply(r: ReplyRequest): Promise<OutboxOp> {
    this.replies.push({ ...r });
    if (this.replyResult) throw this.replyResult;
    const created = op(`op${++this.#opSeq}`, {
      project_id: r.project_id,
      iid: r.iid,
      kind: r.internal ? 'note' : 'reply',
      body: r.body,
      send_at: r.send_at || new Date(NOW + 10_000).toISOString(),
      created_at: new Date(NOW).toISOString(),
      updated_at: new Date(NOW).toISOString(),
    });
    this.ops.push(created);
    this.drafts.delete(`${r.project_id}:${r.iid}`);
    return created;
  }

  async templates(): Promise<Template[]> {
    return this.templateList.map((t) => ({ ...t }));
  }

  async saveTemplate(t: Template): Promise<Template> {
    this.templateSaves.push({ ...t });
    if (this.templateResult) throw this.templateResult;
    if (t.path !== '') throw new Error(`"${t.name}" is the team's template from ${t.path}: change it there, in the project's repository`);
    const saved = { ...t, id: t.id || 100 + ++this.#templateSeq, updated_at: new Date(NOW).toISOString() };
    this.templateList = [...this.templateList.filter((x) => x.path !== '' || x.id !== saved.id), saved];
    return { ...saved };
  }

  async deleteTemplate(id: number): Promise<void> {
    this.deletedTemplates.push(id);
    this.templateList = this.templateList.filter((t) => t.path !== '' || t.id !== id);
  }

  async templateVariables(): Promise<string[]> {
    return [...this.variableNames];
  }

  async getPrefs(): Promise<Prefs> {
    if (this.savedPrefs instanceof Error) throw this.savedPrefs;
    return { ...this.savedPrefs };
  }

  async savePrefs(p: Prefs): Promise<void> {
    this.prefsSaves.push({ ...p });
    this.savedPrefs = { ...p };
  }

  async pickAttachments(): Promise<PickedFile[]> {
    const next = this.picks.shift() ?? [];
    if (next instanceof Error) throw next;
    return next;
  }

  aboutResult: About | Error = {
    name: 'Service Desk',
    version: 'v1.2.3-4-gabcdef0',
    go_version: 'go1.26.8',
    platform: 'linux/amd64',
    data_dir: '/home/agent/.local/share/servicedesk',
    demo: false,
    keychain: 'Secret Service',
  };

  /** What getReport answers. */
  reportResult: Report | Error = new Error('no report in this test');

  async getReport(): Promise<Report> {
    if (this.reportResult instanceof Error) throw this.reportResult;
    return this.reportResult;
  }

  async exportReport(): Promise<string> {
    return '';
  }

  async about(): Promise<About> {
    if (this.aboutResult instanceof Error) throw this.aboutResult;
    return this.aboutResult;
  }

  async merge(projectId: number, from: number, into: number): Promise<OutboxOp> {
    this.merges.push([projectId, from, into]);
    if (this.mergeResult) throw this.mergeResult;
    const made = op(`op${++this.#opSeq}`, { project_id: projectId, iid: from, kind: 'merge', merge_into: into, body: '', send_at: '' });
    this.ops.push(made);
    return made;
  }

  async undo(opId: string): Promise<void> {
    this.undone.push(opId);
    const o = this.ops.find((x) => x.id === opId);
    if (!o) throw new Error('op not found');
    if (o.state !== 'queued') throw new Error(`too late to undo: it is already ${o.state}`);
    this.ops = this.ops.filter((x) => x !== o);
    if (o.kind === 'reply' || o.kind === 'note') {
      const key = `${o.project_id}:${o.iid}`;
      const old = this.drafts.get(key)?.body ?? '';
      const body = old.trim() !== '' ? `${old}\n\n${o.body}` : o.body;
      this.drafts.set(key, { project_id: o.project_id, iid: o.iid, body, internal: o.kind === 'note', saved_at: new Date(NOW).toISOString() });
    }
  }

  async triage(t: TriageRequest): Promise<OutboxOp[]> {
    this.triages.push(structuredClone(t));
    if (this.triageResult) throw this.triageResult;
    const base = { project_id: t.project_id, iid: t.iid, send_at: '', delivery: '', body: '' };
    const made: OutboxOp[] = [];
    if (t.add_labels.length + t.remove_labels.length > 0)
      made.push(op(`op${++this.#opSeq}`, { ...base, kind: 'labels', add_labels: t.add_labels, remove_labels: t.remove_labels }));
    if (t.assignees !== null) made.push(op(`op${++this.#opSeq}`, { ...base, kind: 'assign', assignees: t.assignees }));
    if (t.state !== '') made.push(op(`op${++this.#opSeq}`, { ...base, kind: 'state', state_change: t.state }));
    if (t.add_cc.length + t.remove_cc.length > 0)
      made.push(op(`op${++this.#opSeq}`, { ...base, kind: 'cc', add_cc: t.add_cc, remove_cc: t.remove_cc }));
    this.ops.push(...made);
    return made;
  }

  async macros(projectId: number): Promise<Macro[]> {
    this.macroLoads.push(projectId);
    if (this.macroList instanceof Error) throw this.macroList;
    return this.macroList.filter((m) => projectId === 0 || m.project_id === projectId).map((m) => ({ ...m, actions: [...m.actions] }));
  }

  /** Queues one op per action line of the macro ("add labels a, b", "assign x", "internal note", "reply …", "close"), due in 10 s. */
  async applyMacro(projectId: number, iid: number, name: string): Promise<OutboxOp[]> {
    this.appliedMacros.push([projectId, iid, name]);
    if (this.applyMacroResult) throw this.applyMacroResult;
    const m = Array.isArray(this.macroList) ? this.macroList.find((x) => x.project_id === projectId && x.name === name) : undefined;
    if (!m) throw new Error(`no macro "${name}" in .gitlab/service_desk_desktop/macros/`);
    const at = { send_at: new Date(NOW + 10_000).toISOString(), created_at: new Date(NOW).toISOString(), updated_at: new Date(NOW).toISOString() };
    const made = m.actions.map((a) => {
      const rest = (prefix: string) => a.slice(prefix.length).split(', ');
      const base = { project_id: projectId, iid, body: '', delivery: '', ...at };
      if (a.startsWith('add labels ')) return op(`op${++this.#opSeq}`, { ...base, kind: 'labels', add_labels: rest('add labels ') });
      if (a.startsWith('remove labels ')) return op(`op${++this.#opSeq}`, { ...base, kind: 'labels', remove_labels: rest('remove labels ') });
      if (a.startsWith('assign ')) return op(`op${++this.#opSeq}`, { ...base, kind: 'assign', assignees: rest('assign ') });
      if (a === 'internal note') return op(`op${++this.#opSeq}`, { ...base, kind: 'note', body: `Note of ${name}` });
      if (a.startsWith('reply')) return op(`op${++this.#opSeq}`, { ...base, kind: 'reply', body: `Reply of ${name}`, delivery: 'gitlab' });
      return op(`op${++this.#opSeq}`, { ...base, kind: 'state', state_change: a });
    });
    this.ops.push(...made);
    return made;
  }

  async decide(opId: string, decision: Decision): Promise<void> {
    this.decisions.push([opId, decision]);
    if (this.decideResult) throw this.decideResult;
  }

  onOutboxChanged(cb: (ops: OutboxOp[]) => void): () => void {
    this.#outboxListeners.add(cb);
    return () => this.#outboxListeners.delete(cb);
  }

  emitOutboxChanged(ops: OutboxOp[]): void {
    this.#outboxListeners.forEach((cb) => cb(ops));
  }

  onSyncState(cb: (s: SyncStatus) => void): () => void {
    this.#syncListeners.add(cb);
    return () => this.#syncListeners.delete(cb);
  }

  onTicketsChanged(cb: (c: TicketsChanged) => void): () => void {
    this.#changeListeners.add(cb);
    return () => this.#changeListeners.delete(cb);
  }

  emitSyncState(s: SyncStatus): void {
    this.#syncListeners.forEach((cb) => cb(s));
  }

  emitTicketsChanged(c: TicketsChanged): void {
    this.#changeListeners.forEach((cb) => cb(c));
  }

  get listenerCount(): number {
    return this.#syncListeners.size + this.#changeListeners.size + this.#outboxListeners.size;
  }
}
