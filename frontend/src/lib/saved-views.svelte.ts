// The agent's saved views: a name and a search, listed in the left pane
// with live counts (the overview brings them as view:ID). This store holds
// the one being written in the dialog (a new view from the search box, or
// one renamed or edited) and deletes them.

import { savedViewNumber, type SavedView, type View } from '../api/types';
import { message } from './errors';

/** The Go side calls this store needs. */
export interface SavedViewsApi {
  saveView(v: SavedView): Promise<SavedView>;
  deleteView(id: number): Promise<void>;
}

/** What the dialog edits first: the name (new, rename) or the search. */
export type DraftFocus = 'name' | 'query';

export interface ViewDraft extends SavedView {
  focus: DraftFocus;
}

export class SavedViewsStore {
  /** The view in the dialog; null when it is closed. */
  draft = $state.raw<ViewDraft | null>(null);
  saving = $state(false);
  /** The Go side's sentence for a refused save (e.g. a search that does not read). */
  error = $state('');
  /** The sentence of a failed delete. */
  deleteError = $state('');

  readonly #api: SavedViewsApi;
  readonly #onSaved: (view: SavedView, created: boolean) => void | Promise<void>;
  readonly #onDeleted: (id: number) => void | Promise<void>;

  constructor(
    api: SavedViewsApi,
    onSaved: (view: SavedView, created: boolean) => void | Promise<void> = () => {},
    onDeleted: (id: number) => void | Promise<void> = () => {},
  ) {
    this.#api = api;
    this.#onSaved = onSaved;
    this.#onDeleted = onDeleted;
  }

  /** create opens the dialog for a new view of a search. */
  create(query: string): void {
    this.error = '';
    this.draft = { id: 0, name: '', query: query.trim(), focus: 'name' };
  }

  /** edit opens the dialog for a saved view of the left pane. */
  edit(view: View, focus: DraftFocus = 'name'): void {
    const id = savedViewNumber(view.id);
    if (id === 0) return;
    this.error = '';
    this.draft = { id, name: view.name, query: view.query, focus };
  }

  close(): void {
    this.draft = null;
    this.error = '';
  }

  /** save stores the dialog's view; the dialog closes when the Go side took it. */
  async save(name: string, query: string): Promise<boolean> {
    const d = this.draft;
    if (!d || this.saving) return false;
    if (name.trim() === '') {
      this.error = 'Give the view a name.';
      return false;
    }
    if (query.trim() === '') {
      this.error = 'Write the search the view shows, e.g. is:open label:billing.';
      return false;
    }
    this.saving = true;
    this.error = '';
    try {
      const saved = await this.#api.saveView({ id: d.id, name: name.trim(), query: query.trim() });
      this.draft = null;
      await this.#onSaved(saved, d.id === 0);
      return true;
    } catch (err) {
      this.error = message(err);
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** remove deletes a saved view. */
  async remove(view: View): Promise<boolean> {
    const id = savedViewNumber(view.id);
    if (id === 0) return false;
    this.deleteError = '';
    try {
      await this.#api.deleteView(id);
      await this.#onDeleted(id);
      return true;
    } catch (err) {
      this.deleteError = `Couldn't delete “${view.name}”: ${message(err)}`;
      return false;
    }
  }
}
