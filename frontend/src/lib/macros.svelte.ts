// The team's macros: named sets of actions on a ticket ("add labels refund",
// "internal note", "close") that the team keeps in the project's repository,
// one YAML file each; the Go side reads and checks them, and a broken one
// comes with its problem. This store lists them per project for the ticket
// view's picker. Applying one is AppState's: its ops go to the outbox and
// the undo bar follows them together.

import type { Macro, OutboxOp } from '../api/types';
import { message } from './errors';

/** The folder of a project's repository that holds the team's macros. */
export const TEAM_MACROS_DIR = '.gitlab/service_desk_desktop/macros/';

/** The Go side calls macros need. */
export interface MacrosApi {
  macros(projectId: number): Promise<Macro[]>;
  applyMacro(projectId: number, iid: number, name: string): Promise<OutboxOp[]>;
}

/** True when a macro can be applied (its file has no problem). */
export function usable(m: Macro): boolean {
  return m.problem === '';
}

/**
 * filterMacros gives the macros whose name, description or actions contain
 * the query (case does not matter), those that can be applied first (so
 * Enter on the first one applies it), each group by name.
 */
export function filterMacros(list: readonly Macro[], query: string): Macro[] {
  const q = query.trim().toLowerCase();
  const matches = (m: Macro) =>
    q === '' || [m.name, m.description, ...m.actions].some((s) => s.toLowerCase().includes(q));
  return list
    .filter(matches)
    .sort((a, b) => Number(!usable(a)) - Number(!usable(b)) || a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
}

export class MacrosStore {
  /** The macros of projectId, as last loaded. */
  list = $state.raw<Macro[]>([]);
  /** The project list belongs to; 0 before the first load. */
  projectId = $state(0);
  /** The list of projectId has been loaded once. */
  loaded = $state(false);
  loading = $state(false);
  /** The sentence of the last failed load; "" when it worked. */
  error = $state('');

  readonly #api: MacrosApi;
  #seq = 0;

  constructor(api: MacrosApi) {
    this.#api = api;
  }

  /**
   * load fetches a project's macros. It runs each time the picker opens: the
   * team may have changed the files since (a sync reads them again); the list
   * at hand stays shown meanwhile when it is the same project's.
   */
  async load(projectId: number): Promise<void> {
    const seq = ++this.#seq;
    if (projectId !== this.projectId) {
      this.projectId = projectId;
      this.list = [];
      this.loaded = false;
      this.error = '';
    }
    this.loading = true;
    try {
      const list = await this.#api.macros(projectId);
      if (seq !== this.#seq) return;
      this.list = list;
      this.loaded = true;
      this.error = '';
    } catch (err) {
      if (seq !== this.#seq) return;
      this.error = `Couldn't load the macros: ${message(err)}`;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}
