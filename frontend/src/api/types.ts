// Types of the data the Go side (package app) sends to the page. They mirror
// the DTOs in app/dto.go field for field; src/api/index.ts checks at compile
// time that the generated wailsjs classes are assignable to them, so a change
// on the Go side shows up as a type error here rather than as a blank pane.

export type ViewId =
  | 'needs_reply'
  | 'soon'
  | 'breached'
  | 'waiting'
  | 'unassigned'
  | 'mine'
  | 'open'
  | 'closed'
  | 'all'
  | 'unlinked';

export type ThreadKind = 'customer' | 'reply' | 'internal' | 'system' | 'mail';

export interface Project {
  id: number;
  path: string;
  name: string;
  /** The project's labels and members, for the triage pickers. */
  labels: { name: string; color: string }[];
  members: { username: string; name: string }[];
}

export interface View {
  /** One of ViewId, or view:ID for a saved view; kept as string because the backend owns the list. */
  id: string;
  name: string;
  count: number;
  /** A saved view's search; "" for the built-in views. */
  query: string;
  /** Why a saved view's search no longer reads; "" when it does. */
  error: string;
  /** A saved view's search stopped counting at count: there may be more. */
  capped: boolean;
}

/** The view that lists mail without a ticket (UnlinkedMail), not tickets. */
export const UNLINKED_VIEW = 'unlinked';

/** The prefix of a saved view's id: view:ID. */
export const SAVED_VIEW_PREFIX = 'view:';

/** A view the agent saved: a name and a search. */
export interface SavedView {
  /** 0 for one not saved yet. */
  id: number;
  name: string;
  query: string;
}

/** savedViewId is the View id of a saved view; savedViewNumber reads it back (0 for other views). */
export function savedViewId(id: number): string {
  return `${SAVED_VIEW_PREFIX}${id}`;
}

export function savedViewNumber(viewId: string): number {
  if (!viewId.startsWith(SAVED_VIEW_PREFIX)) return 0;
  const n = Number(viewId.slice(SAVED_VIEW_PREFIX.length));
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export interface SyncStatus {
  syncing: boolean;
  online: boolean;
  /** RFC 3339, or "" before the first sync. */
  last_sync_at: string;
  /** A sentence for the agent, or "" when all is well. */
  last_error: string;
  demo: boolean;
  has_account: boolean;
  /** The window can switch to the built-in demo (TryDemo). */
  demo_available: boolean;
  /** Sorts last_error (one of SyncErrorKind); "" when there is no error. */
  error_kind: string;
  /** Tickets stored so far by the running sync; 0 when idle or nothing stored yet. */
  progress: number;
  /** What the last finished sync changed, e.g. "3 new, 12 updated, 1 gone"; "" when nothing. */
  last_summary: string;
}

/**
 * What kind of failure last_error is, and so what helps: "auth" (GitLab
 * refused the token), "forbidden" (the token lacks access or scope) and
 * "not-found" (the project is gone or moved) are fixed in Accounts;
 * "offline" (GitLab cannot be reached; the app retries by itself) and
 * "other" are worth a retry.
 */
export type SyncErrorKind = 'auth' | 'forbidden' | 'offline' | 'not-found' | 'other';

export interface Overview {
  projects: Project[];
  views: View[];
  status: SyncStatus;
  /** The service-level policy of the projects shown (app.SLAInfoDTO). */
  sla: SLAInfo;
}

/** Whether a service-level policy (sla.yml in the team folder) is on, and the files that do not read. */
export interface SLAInfo {
  /** A project shown has a policy that reads: the Breach soon and Breached views and the timers are on. */
  active: boolean;
  /** Policy files that do not read, each "project: path:line: mistake". */
  problems: string[];
  /** RFC 3339: when an open ticket's clock next turns soon or falls due; "" when none will. The counts are reloaded then. */
  next_change_at: string;
}

/** When an open ticket's first service-level clock turns soon and falls due (app.SLADueDTO). */
export interface SLADue {
  /** Which clock: first_response or resolution. */
  clock: string;
  /** RFC 3339; "" when the policy gives no warning. */
  soon_at: string;
  /** RFC 3339. */
  due_at: string;
}

/** One service-level clock of a ticket (app.SLAClockDTO); durations are business time in seconds. */
export interface SLAClock {
  /** none (no target), met, paused, ok, soon or breached. */
  state: string;
  target_s: number;
  elapsed_s: number;
  left_s: number;
  late_s: number;
  /** RFC 3339: when it turns (turned) soon; "" without a warning. */
  soon_at: string;
  /** RFC 3339; "" without a target or while paused. */
  due_at: string;
  /** RFC 3339: when it stopped; "" while it runs. */
  achieved_at: string;
}

/** A ticket's standing under its project's policy (app.SLADTO). */
export interface TicketSLA {
  /** The ticket's: none, met, paused, ok, soon or breached. */
  state: string;
  first_response: SLAClock;
  resolution: SLAClock;
  /** The business hours the clocks count, in short. */
  calendar: string;
}

export interface TicketRow {
  project_id: number;
  project: string;
  iid: number;
  title: string;
  /** "opened" or "closed". */
  state: string;
  customer: string;
  labels: string[];
  assignees: string[];
  snippet: string;
  needs_reply: boolean;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
  /** RFC 3339: when the customer's unanswered message came (open tickets where they had the last word); "" otherwise. */
  waiting_since: string;
  /** The customer wrote since the agent last opened the ticket. */
  unread: boolean;
  /** A search's matching passage, the matched words between [ and ]; "" without a text search. */
  match: string;
  /** The open ticket's service-level clock due first; null (or missing) when none runs. */
  sla?: SLADue | null;
}

/** A file attached to a mail; saved through a dialog, never opened. */
export interface Attachment {
  /** Its position in the mail's list: what SaveAttachment takes. */
  index: number;
  name: string;
  content_type: string;
  /** Bytes. */
  size: number;
  /** Shown inside the HTML (cid:) rather than as a separate file. */
  inline: boolean;
}

export interface ThreadEntry {
  /** One of ThreadKind; unknown kinds are shown as plain messages. */
  kind: string;
  /** For mail: the sender's address. */
  author: string;
  author_name: string;
  /**
   * GitLab Markdown source, or a mail's plain text with quoted history
   * stripped: from outside, shown as plain text, never as HTML.
   */
  body: string;
  /**
   * Mail only: the whole text, quoted history included, when body left
   * some out; "" otherwise (and for notes).
   */
  quoted: string;
  created_at: string;
  // Mail only ("" / false / [] for other kinds).
  message_id: string;
  /** "INBOX" (received) or "Sent". */
  folder: string;
  subject: string;
  /** MessageHTML has a formatted version of this mail. */
  has_html: boolean;
  attachments: Attachment[];
}

/** A mail's HTML, sanitized by the Go side; "" when the mail has none. */
export interface MailHTML {
  html: string;
  /** Remote images (and CSS images) of the mail; removed from html unless remote_allowed. */
  remote_images: number;
  /** The agent allowed this mail's remote images: http(s) images stay in html. */
  remote_allowed: boolean;
  /** …for every mail from its sender. */
  sender_allowed: boolean;
}

export interface Ticket extends TicketRow {
  /**
   * When not 0: the ticket (same project) this one seems to continue — the
   * customer answered a mailed reply and GitLab opened a new ticket. The page
   * offers to merge (Merge).
   */
  merge_into: number;
  description: string;
  web_url: string;
  confidential: boolean;
  closed_at: string;
  thread: ThreadEntry[];
  /** Who wrote in, for the ticket view's customer panel. */
  customer_card: Customer;
  /** RFC 3339: our first public answer; "" before it. */
  first_response_at: string;
  /** The ticket's service-level clocks; null (or missing) when its project has no policy. */
  ticket_sla?: TicketSLA | null;
}

/** The customer of a ticket (app.CustomerDTO). */
export interface Customer {
  /** Their display name from their mail; "" when unknown. */
  name: string;
  /** Their address; "" when the ticket has no customer. */
  email: string;
  /** Named from the address's domain ("Northwind Traders"); "" for personal mail providers. */
  organisation: string;
  domain: string;
  /** Their other tickets in every project, newest first (at most 10). */
  tickets: TicketRow[];
  /** How many other tickets they have in all. */
  tickets_total: number;
}

/** The orders of the ticket list: latest activity first, newest, oldest, longest waiting customer first, or service-level due time first. */
export type TicketSort = 'updated' | 'created' | 'oldest' | 'waiting' | 'due';

/** What the ticket list shows: a view, narrowed by project and search, in an order. */
export interface TicketFilter {
  view: string;
  /** 0 for all projects. */
  project_id: number;
  /** What the agent typed: words, and filters (from:, label:, -label:, assignee:, is:, before:, after:). */
  search: string;
  sort: TicketSort;
}

/** One page of the ticket list. */
export interface TicketQuery extends TicketFilter {
  /** The first row. */
  offset: number;
  /** Rows; the Go side gives at most 1000. */
  limit: number;
}

/** A page of the ticket list and how many rows match in all. */
export interface TicketPage {
  rows: TicketRow[];
  offset: number;
  total: number;
  /** A text search stopped counting at total: there may be more. */
  capped: boolean;
}

/** One mail of the brand's mailbox that no ticket holds. */
export interface MailRow {
  message_id: string;
  subject: string;
  from_name: string;
  from_email: string;
  /** RFC 3339. */
  date: string;
  snippet: string;
  /** The text without quoted history. */
  body: string;
  /** The whole text when body left quoted history out; "" otherwise. */
  quoted: string;
  folder: string;
  has_html: boolean;
  attachments: Attachment[];
}

/** A page of the mail without a ticket. */
export interface MailPage {
  rows: MailRow[];
  offset: number;
  total: number;
}

/** One change made to several tickets; only what is set changes. */
export interface BulkTriageRequest {
  tickets: Array<{ project_id: number; iid: number }>;
  add_labels: string[];
  remove_labels: string[];
  /** null: unchanged; []: unassign. */
  assignees: string[] | null;
  state: '' | 'close' | 'reopen';
}

export interface TicketsChanged {
  project_ids: number[];
  count: number;
}

/** The key that names one ticket across projects. */
export type TicketKey = `${number}:${number}`;

export function ticketKey(t: { project_id: number; iid: number }): TicketKey {
  return `${t.project_id}:${t.iid}`;
}

/** parseTicketKey reads a TicketKey back. */
export function parseTicketKey(key: TicketKey): { project_id: number; iid: number } {
  const [p, i] = key.split(':');
  return { project_id: Number(p), iid: Number(i) };
}

// Accounts. Secrets travel one way only: a form may carry a token or a
// password to the Go side; nothing the Go side sends ever holds one.

export type AccountKind = 'gitlab' | 'imap' | 'smtp';

/** Connection security; "" where it does not apply (GitLab accounts). */
export type Security = 'tls' | 'starttls' | 'none' | '';

/** How replies leave: GitLab mails them, or this app sends them over SMTP. */
export type Delivery = 'gitlab' | 'smtp' | '';

/** A saved account, as Accounts() lists it. It never carries a secret. */
export interface Account {
  id: number;
  kind: AccountKind;
  name: string;
  url: string;
  username: string;
  host: string;
  port: number;
  security: Security;
  login: string;
  project_id: number;
  /** The path of project_id, e.g. acme/support. */
  project: string;
  folders: string[];
  from_address: string;
  from_name: string;
  delivery: Delivery;
  /** An identity's Markdown signature, put under every mailed reply; "" for none. */
  signature: string;
}

/** Adds (id 0) or edits a GitLab account; an empty token on edit keeps the stored one. */
export interface GitLabForm {
  id: number;
  name: string;
  url: string;
  /** Project path with namespace, e.g. acme/support. */
  project: string;
  token: string;
}

/** Adds or edits the brand's IMAP mailbox; an empty password on edit keeps the stored one. */
export interface MailboxForm {
  id: number;
  name: string;
  host: string;
  port: number;
  security: Security;
  login: string;
  password: string;
  /** 0 for none. */
  project_id: number;
  /** Empty: INBOX and the Sent folder. */
  folders: string[];
}

/** Adds or edits a project's sending identity; an empty password on edit keeps the stored one. */
export interface IdentityForm {
  id: number;
  name: string;
  project_id: number;
  from_address: string;
  from_name: string;
  delivery: 'gitlab' | 'smtp';
  /** Markdown put under every mailed reply (template variables allowed); "" for none. */
  signature: string;
  host: string;
  port: number;
  security: Security;
  login: string;
  password: string;
}

/** The kinds of failure a connection test names; "" when it worked. */
export type CheckProblem =
  | ''
  | 'auth'
  | 'tls-untrusted'
  | 'tls-failed'
  | 'refused'
  | 'timeout'
  | 'dns'
  | 'protocol'
  | 'insecure'
  | 'scope'
  | 'service-desk-off'
  | 'input'
  | 'other';

/** The result of a connection test, in sentences. */
export interface Check {
  ok: boolean;
  /** One sentence: what works, or what failed and what to do. */
  summary: string;
  details: string[];
  /** One of CheckProblem; kept as string because the backend owns the list. */
  problem: string;
}

// The outbox. Every reply, note and change of a ticket is an op first; the
// page shows it at once as pending and follows it by outbox:changed events.

/** What an op does: a public reply, an internal note, or a change of the ticket. */
export type OpKind = 'reply' | 'note' | 'labels' | 'assign' | 'state' | 'cc' | 'merge';

/**
 * Where an op is: queued (its undo window or send-later time), ready,
 * sending, sent (the mail left; its note is not recorded yet), recorded
 * (done), failed, delivery unknown, conflict; "undone" only in events: it is
 * gone (undone, discarded, or back in the draft).
 */
export type OpState =
  | 'queued'
  | 'ready'
  | 'sending'
  | 'sent'
  | 'recorded'
  | 'failed'
  | 'delivery unknown'
  | 'conflict'
  | 'undone';

export interface OutboxOp {
  id: string;
  project_id: number;
  iid: number;
  /** One of OpKind; kept as string because the backend owns the list. */
  kind: string;
  /** One of OpState. */
  state: string;
  /** Why it failed or stopped, as a sentence; "" otherwise. */
  reason: string;
  /** A failed op the outbox tries again by itself at next_try_at. */
  retryable: boolean;
  attempts: number;
  /** A reply's or note's Markdown. */
  body: string;
  add_labels: string[];
  remove_labels: string[];
  /** An assign op's new assignees ([] unassigns). */
  assignees: string[];
  /** "close" or "reopen" for a state op. */
  state_change: string;
  /** A merge op: the ticket this one goes into (0 for other kinds). */
  merge_into: number;
  add_cc: string[];
  remove_cc: string[];
  /** How a reply leaves: "gitlab" or "smtp"; "" for the rest. */
  delivery: string;
  /** RFC 3339: when it may leave (end of the undo window, or the send-later time). */
  send_at: string;
  /** RFC 3339: a retryable failure's next try; "" for none. */
  next_try_at: string;
  created_at: string;
  updated_at: string;
}

/** What the agent decides about an op that stopped. */
export type Decision = 'retry' | 'send-anyway' | 'edit' | 'discard' | 'send-again' | 'delivered';

/** The reply being written on a ticket. */
export interface Draft {
  project_id: number;
  iid: number;
  body: string;
  internal: boolean;
  /** RFC 3339; "" when there is no saved draft. */
  saved_at: string;
}

export interface ReplyRequest {
  project_id: number;
  iid: number;
  /** Markdown. */
  body: string;
  internal: boolean;
  /** RFC 3339 for send-later; "" to leave after the undo window. */
  send_at: string;
  /** Tokens of files the agent picked (PickAttachments). */
  attachments: string[];
}

/** A file the agent picked to attach: the page knows it by token, never by path. */
export interface PickedFile {
  token: string;
  name: string;
  /** Bytes. */
  size: number;
}

/** A change of a ticket; only what is set changes. */
export interface TriageRequest {
  project_id: number;
  iid: number;
  add_labels: string[];
  remove_labels: string[];
  /** null: unchanged; []: unassign. */
  assignees: string[] | null;
  state: '' | 'close' | 'reopen';
  add_cc: string[];
  remove_cc: string[];
}

/**
 * A reply template; its body is Markdown with {{variables}}. The agent's own
 * have an id and no path; the team's shared ones come from a file in a
 * project's repository (id 0, read-only here: edited and reviewed in GitLab).
 */
export interface Template {
  /** 0 for a template not saved yet, and for every shared one. */
  id: number;
  name: string;
  body: string;
  /** RFC 3339; "" before the first save. */
  updated_at: string;
  /** The project whose repository holds a shared template; 0 for the agent's own. */
  project_id: number;
  /** A shared template's file in that repository; "" for the agent's own. */
  path: string;
  /** Why a shared template cannot be used (its file and line); "" when it can. */
  problem: string;
}

/** The window's remembered preferences (app.PrefsDTO without the window size, which the Go side keeps). */
export interface Prefs {
  /** The sidebar's width in CSS pixels; 0 for the default. */
  sidebar_width: number;
  /** The ticket list's width in CSS pixels; 0 for the default. */
  list_width: number;
  /** A desktop notification for each new ticket that needs a reply. */
  notify: boolean;
}

/**
 * One of the team's macros: named actions on a ticket, kept in a file of the
 * project's repository (app.MacroDTO). Applying one queues all its actions,
 * held together for the undo window.
 */
export interface Macro {
  project_id: number;
  /** Its file in the project's repository, e.g. ".gitlab/service_desk_desktop/macros/refund.yml". */
  path: string;
  name: string;
  description: string;
  /** What it does, one line per action in the order they leave: "add labels refund", "internal note", "close". */
  actions: string[];
  /** Why the file cannot be used (its file and line); "" when it can. */
  problem: string;
}

/** Durations sum-up of a report (app.StatsDTO), in seconds. */
export interface ReportStats {
  count: number;
  median_s: number;
  mean_s: number;
  p90_s: number;
}

/** The team's figures for a range (app.ReportDTO). */
export interface Report {
  /** The first and last day included, 2026-11-01. */
  from: string;
  to: string;
  opened: number;
  closed: number;
  /** Tickets opened in the range still without a public reply. */
  unanswered: number;
  first_response: ReportStats;
  resolution: ReportStats;
  /** Public replies per agent, most first. */
  replies_by_agent: { agent: string; replies: number }[];
  /** Customer messages by [weekday, 0 = Sunday][hour], in the window's time zone. */
  busiest_hours: number[][];
  /** Every day of the range in order, with the tickets opened and closed on it. */
  days: { date: string; opened: number; closed: number }[];
  /** The business hours the times count, in short; "" for wall-clock time (no policy, or all projects). */
  calendar: string;
  /** Clocks judged against the project's targets (all zero without a policy). */
  first_response_sla: { met: number; breached: number };
  resolution_sla: { met: number; breached: number };
}

/** Which build this is and where it keeps the agent's data. */
export interface About {
  name: string;
  /** git describe of the build, as `servicedesk --version` prints it. */
  version: string;
  go_version: string;
  /** GOOS/GOARCH, e.g. linux/amd64. */
  platform: string;
  /** The open profile's folder; "" when none is open. */
  data_dir: string;
  /** The demo's profile: a temporary folder, gone when the window closes. */
  demo: boolean;
  /** Where the secrets are kept on this system. */
  keychain: string;
}
