// The left pane's and the status bar's data: views with counts (in the
// project the list shows, or all), projects and the sync status, kept
// current by reloads and sync:state events.

import { SAVED_VIEW_PREFIX, type Overview, type Project, type SLAInfo, type SyncStatus, type View } from '../api/types';
import { message } from './errors';
import { parseTime } from './time';

/** The Go side calls this store needs. */
export interface OverviewApi {
  /** projectId 0: counts over all projects. */
  getOverview(projectId: number): Promise<Overview>;
  syncNow(): Promise<void>;
}

/** The views, in the order the left pane lists them before the backend answers. */
export const DEFAULT_VIEWS: readonly View[] = [
  { id: 'needs_reply', name: 'Needs reply', count: 0, query: '', error: '', capped: false },
  { id: 'waiting', name: 'Waiting on customer', count: 0, query: '', error: '', capped: false },
  { id: 'unassigned', name: 'Unassigned', count: 0, query: '', error: '', capped: false },
  { id: 'mine', name: 'Mine', count: 0, query: '', error: '', capped: false },
  { id: 'open', name: 'All open', count: 0, query: '', error: '', capped: false },
  { id: 'closed', name: 'Closed', count: 0, query: '', error: '', capped: false },
  { id: 'all', name: 'All', count: 0, query: '', error: '', capped: false },
  { id: 'unlinked', name: 'Mail without a ticket', count: 0, query: '', error: '', capped: false },
];

export class OverviewStore {
  views = $state.raw<readonly View[]>(DEFAULT_VIEWS);
  projects = $state.raw<readonly Project[]>([]);
  /** The service-level policy of the projects shown: on, and the files that do not read. */
  sla = $state.raw<SLAInfo>({ active: false, problems: [], next_change_at: '' });
  status = $state.raw<SyncStatus | null>(null);
  /** True once one load succeeded; counts are shown only then. */
  loaded = $state(false);
  /** The sentence of the last failed load, "" when the last load worked. */
  error = $state('');
  /** The sentence of a failed "Sync now", until the next status arrives. */
  syncError = $state('');
  /** True from a "Sync now" click until the backend reports a status. */
  syncRequested = $state(false);
  /** The last_error the agent dismissed the banner of; "" when none is. */
  dismissedError = $state('');
  /** The project the counts are for; 0 for all. */
  projectId = $state(0);

  /**
   * Called when an open ticket's clock turns soon or falls due
   * (sla.next_change_at): the counts and the Breach soon and Breached
   * views change with time alone. AppState reloads what shows them.
   */
  onslachange: (() => void) | null = null;

  readonly #api: OverviewApi;
  #seq = 0;
  #slaTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: OverviewApi) {
    this.#api = api;
  }

  /** load fetches the overview; a late answer of an older load is dropped. */
  async load(): Promise<void> {
    const seq = ++this.#seq;
    try {
      const o = await this.#api.getOverview(this.projectId);
      if (seq !== this.#seq) return;
      this.views = o.views.length > 0 ? o.views : DEFAULT_VIEWS;
      this.projects = o.projects;
      this.sla = o.sla;
      this.#scheduleSLA(o.sla.next_change_at);
      this.#applyStatus(o.status);
      this.loaded = true;
      this.error = '';
    } catch (err) {
      if (seq !== this.#seq) return;
      this.error = message(err);
    }
  }

  /** The longest a timer waits (setTimeout's limit is about 24.8 days). */
  static readonly MAX_WAIT_MS = 2 ** 31 - 1;
  /**
   * The shortest: in a large queue clocks turn every few seconds, and each
   * turn reloads the counts, the list and the open ticket. The rows turn
   * amber and red on their own meanwhile.
   */
  static readonly MIN_WAIT_MS = 30_000;

  /** #scheduleSLA calls onslachange a moment after at (RFC 3339; "" for never); a later load replaces it. */
  #scheduleSLA(at: string): void {
    clearTimeout(this.#slaTimer);
    this.#slaTimer = undefined;
    const t = parseTime(at);
    if (t === null) return;
    // A second after: the Go side judges at its own clock, which may be a hair behind.
    const wait = Math.min(Math.max(t - Date.now() + 1000, OverviewStore.MIN_WAIT_MS), OverviewStore.MAX_WAIT_MS);
    this.#slaTimer = setTimeout(() => {
      this.#slaTimer = undefined;
      this.onslachange?.();
    }, wait);
  }

  /** dispose stops the timer of the next service-level change. */
  dispose(): void {
    clearTimeout(this.#slaTimer);
    this.#slaTimer = undefined;
  }

  /** setProject counts the views in one project (0: all) from now on. */
  setProject(projectId: number): Promise<void> {
    if (projectId === this.projectId) return Promise.resolve();
    this.projectId = projectId;
    return this.load();
  }

  /** The built-in views, and the agent's saved ones (view:ID). */
  get builtinViews(): View[] {
    return this.views.filter((v) => !v.id.startsWith(SAVED_VIEW_PREFIX));
  }

  get savedViews(): View[] {
    return this.views.filter((v) => v.id.startsWith(SAVED_VIEW_PREFIX));
  }

  /** setStatus applies a sync:state event. */
  setStatus(status: SyncStatus): void {
    this.#applyStatus(status);
    this.syncRequested = false;
    this.syncError = '';
  }

  /**
   * The sync error the banner shows: last_error unless the agent dismissed
   * that very sentence; "" when there is none to show.
   */
  get bannerError(): string {
    const err = this.status?.last_error ?? '';
    return err !== '' && err !== this.dismissedError ? err : '';
  }

  /** dismissError hides the banner until the error's sentence changes. */
  dismissError(): void {
    this.dismissedError = this.status?.last_error ?? '';
  }

  // A dismissal lasts while the same sentence comes back (e.g. from a sync
  // that is only retrying); a different sentence or a finished sync without
  // error ends it, so the next failure shows again.
  #applyStatus(status: SyncStatus): void {
    this.status = status;
    if (this.dismissedError === '') return;
    const err = status.last_error;
    if ((err !== '' && err !== this.dismissedError) || (err === '' && !status.syncing)) this.dismissedError = '';
  }

  /** syncNow asks the backend for a sync; progress comes back as events. */
  async syncNow(): Promise<void> {
    if (this.syncRequested || this.status?.syncing) return;
    this.syncRequested = true;
    this.syncError = '';
    try {
      await this.#api.syncNow();
    } catch (err) {
      this.syncRequested = false;
      this.syncError = message(err);
    }
  }

  /** viewName gives the label of a view id. */
  viewName(id: string): string {
    return this.views.find((v) => v.id === id)?.name ?? DEFAULT_VIEWS.find((v) => v.id === id)?.name ?? id;
  }
}
