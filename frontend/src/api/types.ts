// Types of the data the Go side (package app) sends to the page. They mirror
// the DTOs in app/dto.go field for field; src/api/index.ts checks at compile
// time that the generated wailsjs classes are assignable to them, so a change
// on the Go side shows up as a type error here rather than as a blank pane.

export type ViewId = 'needs_reply' | 'unassigned' | 'open' | 'closed' | 'all';

export type ThreadKind = 'customer' | 'reply' | 'internal' | 'system' | 'mail';

export interface Project {
  id: number;
  path: string;
  name: string;
}

export interface View {
  /** One of ViewId; kept as string because the backend owns the list. */
  id: string;
  name: string;
  count: number;
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
}

export interface Overview {
  projects: Project[];
  views: View[];
  status: SyncStatus;
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
}

export interface ThreadEntry {
  /** One of ThreadKind; unknown kinds are shown as plain messages. */
  kind: string;
  author: string;
  author_name: string;
  /** GitLab Markdown source from outside: shown as plain text, never as HTML. */
  body: string;
  created_at: string;
}

export interface Ticket extends TicketRow {
  description: string;
  web_url: string;
  confidential: boolean;
  closed_at: string;
  thread: ThreadEntry[];
}

export interface TicketQuery {
  view: string;
  /** 0 for all projects. */
  project_id: number;
  search: string;
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
