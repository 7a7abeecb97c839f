// The saved accounts (never with a secret), their connection tests and
// their removal.

import type { Account, AccountKind, Check } from '../api/types';
import { message } from './errors';

/** The Go side calls this store needs. */
export interface AccountsApi {
  listAccounts(): Promise<Account[]>;
  testAccount(id: number): Promise<Check>;
  removeAccount(id: number): Promise<void>;
}

/** The state of one saved account's "Test connection". */
export type TestState =
  | { state: 'running' }
  | { state: 'done'; check: Check }
  /** The test could not run at all; message is the sentence. */
  | { state: 'error'; message: string };

/** The kinds in the order the settings list them, with their headings. */
export const KIND_GROUPS: ReadonlyArray<{ kind: AccountKind; title: string; add: string }> = [
  { kind: 'gitlab', title: 'GitLab accounts', add: 'Add GitLab account' },
  { kind: 'imap', title: 'Mailboxes', add: 'Add mailbox' },
  { kind: 'smtp', title: 'Sending identities', add: 'Add sending identity' },
];

export class AccountsStore {
  accounts = $state.raw<Account[]>([]);
  loaded = $state(false);
  loading = $state(false);
  /** The sentence of the last failed load, "" when it worked. */
  error = $state('');
  /** Connection tests by account id. */
  tests = $state.raw<ReadonlyMap<number, TestState>>(new Map());
  /** Accounts being removed. */
  removing = $state.raw<ReadonlySet<number>>(new Set());
  /** The sentence of a failed removal, by account id. */
  removeErrors = $state.raw<ReadonlyMap<number, string>>(new Map());

  readonly #api: AccountsApi;
  #seq = 0;

  constructor(api: AccountsApi) {
    this.#api = api;
  }

  /** byKind gives the accounts of one kind, by name. */
  byKind(kind: AccountKind): Account[] {
    return this.accounts
      .filter((a) => a.kind === kind)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  }

  /** load fetches the list; a late answer of an older load is dropped. */
  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const all = await this.#api.listAccounts();
      if (seq !== this.#seq) return;
      this.accounts = all;
      this.loaded = true;
      this.error = '';
      // Results of accounts that are gone mean nothing any more.
      const ids = new Set(all.map((a) => a.id));
      this.tests = new Map([...this.tests].filter(([id]) => ids.has(id)));
    } catch (err) {
      if (seq !== this.#seq) return;
      this.error = message(err);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** test runs a saved account's connection test with its stored secret. */
  async test(id: number): Promise<void> {
    if (this.tests.get(id)?.state === 'running') return;
    this.#setTest(id, { state: 'running' });
    try {
      const check = await this.#api.testAccount(id);
      this.#setTest(id, { state: 'done', check });
    } catch (err) {
      this.#setTest(id, { state: 'error', message: message(err) });
    }
  }

  /** clearTest forgets an account's test result (e.g. after it was edited). */
  clearTest(id: number): void {
    if (!this.tests.has(id)) return;
    const next = new Map(this.tests);
    next.delete(id);
    this.tests = next;
  }

  /** remove deletes an account; it returns true when it is gone. */
  async remove(id: number): Promise<boolean> {
    if (this.removing.has(id)) return false;
    this.removing = new Set([...this.removing, id]);
    this.#setRemoveError(id, '');
    try {
      await this.#api.removeAccount(id);
      this.accounts = this.accounts.filter((a) => a.id !== id);
      this.clearTest(id);
      void this.load();
      return true;
    } catch (err) {
      this.#setRemoveError(id, message(err));
      return false;
    } finally {
      const next = new Set(this.removing);
      next.delete(id);
      this.removing = next;
    }
  }

  #setTest(id: number, t: TestState): void {
    this.tests = new Map(this.tests).set(id, t);
  }

  #setRemoveError(id: number, text: string): void {
    const next = new Map(this.removeErrors);
    if (text) next.set(id, text);
    else next.delete(id);
    this.removeErrors = next;
  }
}
