// The window's preferences (pane widths, notifications): loaded once from
// the Go side, changed on the page at once, and saved a moment after the
// last change, so a drag or a held arrow key writes them once. The Go side
// keeps the whole set in one record: every save sends all of it.

import type { Prefs } from '../api/types';
import { message } from './errors';

/** The Go side calls this store needs. */
export interface PrefsApi {
  getPrefs(): Promise<Prefs>;
  savePrefs(p: Prefs): Promise<void>;
}

/** How long after the last change the preferences are saved. */
export const SAVE_DELAY_MS = 400;

/** What the page uses until the saved preferences are in (the Go side's defaults). */
export const DEFAULT_PREFS: Readonly<Prefs> = { sidebar_width: 0, list_width: 0, notify: true };

export class PrefsStore {
  prefs = $state<Prefs>({ ...DEFAULT_PREFS });
  loaded = $state(false);
  /** The sentence of the last failed load or save; "" when fine. */
  error = $state('');
  readonly #api: PrefsApi;
  /** Changes made before the saved preferences came in: they win over them. */
  #early: Partial<Prefs> = {};
  #loading: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: PrefsApi) {
    this.#api = api;
  }

  /** load reads the saved preferences once; later calls wait for the same read. */
  load(): Promise<void> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  async #load(): Promise<void> {
    try {
      const saved = await this.#api.getPrefs();
      this.prefs = { ...saved, ...this.#early };
      this.error = '';
    } catch (err) {
      this.error = message(err);
    } finally {
      this.loaded = true;
      this.#early = {};
    }
  }

  /** set changes preferences on the page only (a drag in progress). */
  set(patch: Partial<Prefs>): void {
    if (!this.loaded) this.#early = { ...this.#early, ...patch };
    this.prefs = { ...this.prefs, ...patch };
  }

  /** save changes preferences and saves them all SAVE_DELAY_MS after the last call. */
  save(patch: Partial<Prefs> = {}): void {
    this.set(patch);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  /** flush saves at once what waits to be saved; nothing when nothing waits. */
  async flush(): Promise<void> {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // Saving before the saved set is read would overwrite what the page does not know.
    await this.load();
    try {
      await this.#api.savePrefs({ ...this.prefs });
      this.error = '';
    } catch (err) {
      this.error = message(err);
    }
  }
}
