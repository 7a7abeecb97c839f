// Which part of the account settings is on screen: nothing, the accounts
// list, or one account form (opened from the list, or on its own from the
// first-run panel). Closing a form drops it, and its secret with it.

import type { Account, AccountKind } from '../api/types';
import { newForm, type AnyFormState, type FormsApi } from './account-forms.svelte';

export type SettingsScreen =
  | { view: 'closed' }
  | { view: 'list' }
  /** fromList: closing the form goes back to the list rather than closing the window. */
  | { view: 'form'; form: AnyFormState; fromList: boolean };

export class SettingsStore {
  screen = $state.raw<SettingsScreen>({ view: 'closed' });

  readonly #api: FormsApi;
  readonly #projectIds: () => readonly number[];
  readonly #onSaved: (account: Account) => void | Promise<void>;

  /**
   * projectIds gives the profile's projects (a new identity takes the only
   * one); onSaved runs after a save, to reload what the account changes.
   */
  constructor(
    api: FormsApi,
    projectIds: () => readonly number[] = () => [],
    onSaved: (account: Account) => void | Promise<void> = () => {},
  ) {
    this.#api = api;
    this.#projectIds = projectIds;
    this.#onSaved = onSaved;
  }

  get isOpen(): boolean {
    return this.screen.view !== 'closed';
  }

  /** The form on screen, if any. */
  get form(): AnyFormState | null {
    return this.screen.view === 'form' ? this.screen.form : null;
  }

  openList(): void {
    this.#dropForm();
    this.screen = { view: 'list' };
  }

  /** openForm shows the form to add (no account) or edit an account. */
  openForm(kind: AccountKind, account?: Account): void {
    const fromList = this.screen.view === 'list' || (this.screen.view === 'form' && this.screen.fromList);
    this.#dropForm();
    this.screen = { view: 'form', form: newForm(this.#api, kind, account, this.#projectIds()), fromList };
  }

  /** closeForm leaves the form without saving: back to the list, or closed. */
  closeForm(): void {
    const fromList = this.screen.view === 'form' && this.screen.fromList;
    this.#dropForm();
    this.screen = fromList ? { view: 'list' } : { view: 'closed' };
  }

  /** close closes the settings altogether. */
  close(): void {
    this.#dropForm();
    this.screen = { view: 'closed' };
  }

  /** save saves the form on screen; on success it closes the form. */
  async save(): Promise<boolean> {
    const form = this.form;
    if (!form) return false;
    const saved = await form.save();
    if (!saved) return false;
    if (this.form === form) this.closeForm();
    await this.#onSaved(saved);
    return true;
  }

  #dropForm(): void {
    this.form?.clearSecrets();
  }
}
