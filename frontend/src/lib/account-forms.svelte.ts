// The three account forms: their values, defaults, inline validation, and
// their "Test connection" and "Save" calls. A form's secret (token or
// password) lives only in its form object, goes to the Go side only inside a
// Test or Save call, and is cleared on save and on cancel. Editing starts
// with an empty secret: sending it empty keeps the one in the keychain.

import type {
  Account,
  AccountKind,
  Check,
  GitLabForm,
  IdentityForm,
  MailboxForm,
  Security,
} from '../api/types';
import { message } from './errors';

/** The Go side calls the forms need. */
export interface FormsApi {
  testGitLab(f: GitLabForm): Promise<Check>;
  saveGitLab(f: GitLabForm): Promise<Account>;
  testMailbox(f: MailboxForm): Promise<Check>;
  saveMailbox(f: MailboxForm): Promise<Account>;
  testIdentity(f: IdentityForm): Promise<Check>;
  saveIdentity(f: IdentityForm): Promise<Account>;
}

export type MailSecurity = Exclude<Security, ''>;

export const SECURITY_CHOICES: ReadonlyArray<{ value: MailSecurity; label: string }> = [
  { value: 'tls', label: 'TLS' },
  { value: 'starttls', label: 'STARTTLS' },
  { value: 'none', label: 'None (local only)' },
];

/** The usual port of each connection security. */
export const DEFAULT_PORTS: Readonly<Record<'imap' | 'smtp', Readonly<Record<MailSecurity, number>>>> = {
  imap: { tls: 993, starttls: 143, none: 143 },
  smtp: { tls: 465, starttls: 587, none: 25 },
};

export const DEFAULT_GITLAB_URL = 'https://gitlab.com';

/** The placeholder of a secret field when a secret is already saved. */
export const KEYCHAIN_PLACEHOLDER = 'Saved in the keychain — type to replace';

export type FieldErrors = Partial<Record<string, string>>;

/** parsePort gives the port a field holds, or NaN when it is not a whole number. */
export function parsePort(text: string): number {
  const t = text.trim();
  return /^\d{1,5}$/.test(t) ? Number(t) : NaN;
}

function portError(text: string): string | undefined {
  if (text.trim() === '') return 'Enter the port.';
  const n = parsePort(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535) return 'The port is a number from 1 to 65535.';
  return undefined;
}

function hostError(text: string, what: string): string | undefined {
  const t = text.trim();
  if (t === '') return `Enter the ${what} server's host name.`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return 'Enter the host name alone, without imap:// or smtp://.';
  if (/[\s/]/.test(t)) return 'A host name has no spaces or slashes.';
  if (/:\d+$/.test(t) && !t.startsWith('[')) return 'Put the port in the Port field.';
  return undefined;
}

/** parseFolders reads a comma-separated folder list; empty means INBOX and Sent. */
export function parseFolders(text: string): string[] {
  return text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}

abstract class AccountFormState<F> {
  abstract readonly kind: AccountKind;
  /** 0 while adding. */
  readonly id: number;

  testing = $state(false);
  /** The result of the last Test connection. */
  check = $state.raw<Check | null>(null);
  /** The sentence when Test connection could not run at all. */
  testError = $state('');
  saving = $state(false);
  /** The sentence Save was rejected with. */
  saveError = $state('');
  /** Inline errors show for touched fields, and for all once Test or Save was pressed. */
  showAll = $state(false);
  touched = $state.raw<ReadonlySet<string>>(new Set());

  protected constructor(id: number) {
    this.id = id;
  }

  get editing(): boolean {
    return this.id !== 0;
  }

  /** The problems of the values as typed, by field. */
  abstract get errors(): FieldErrors;
  /** The values as the Go side takes them (the secret included). */
  abstract toForm(): F;
  /** Empties the secret field. */
  abstract clearSecrets(): void;
  protected abstract callTest(f: F): Promise<Check>;
  protected abstract callSave(f: F): Promise<Account>;

  get valid(): boolean {
    return Object.values(this.errors).every((e) => !e);
  }

  /** The error to show next to a field now. */
  errorFor(field: string): string {
    return this.showAll || this.touched.has(field) ? (this.errors[field] ?? '') : '';
  }

  touch(field: string): void {
    if (!this.touched.has(field)) this.touched = new Set([...this.touched, field]);
  }

  /** edited forgets results that were about the values before the edit. */
  edited(): void {
    this.check = null;
    this.testError = '';
    this.saveError = '';
  }

  /** test connects with the current values without saving. */
  async test(): Promise<void> {
    if (this.testing || this.saving) return;
    this.showAll = true;
    this.check = null;
    this.testError = '';
    if (!this.valid) return;
    this.testing = true;
    try {
      this.check = await this.callTest(this.toForm());
    } catch (err) {
      this.testError = message(err);
    } finally {
      this.testing = false;
    }
  }

  /** save tests and stores the account; it gives the account, or null when rejected. */
  async save(): Promise<Account | null> {
    if (this.testing || this.saving) return null;
    this.showAll = true;
    this.saveError = '';
    if (!this.valid) return null;
    this.saving = true;
    try {
      const saved = await this.callSave(this.toForm());
      this.clearSecrets();
      return saved;
    } catch (err) {
      this.saveError = message(err);
      return null;
    } finally {
      this.saving = false;
    }
  }
}

export class GitLabFormState extends AccountFormState<GitLabForm> {
  readonly kind = 'gitlab';
  name = $state('');
  url = $state(DEFAULT_GITLAB_URL);
  project = $state('');
  token = $state('');
  readonly #api: FormsApi;

  constructor(api: FormsApi, account?: Account) {
    super(account?.id ?? 0);
    this.#api = api;
    if (account) {
      this.name = account.name;
      this.url = account.url || DEFAULT_GITLAB_URL;
      this.project = account.project;
    }
  }

  get errors(): FieldErrors {
    const e: FieldErrors = {};
    const url = this.url.trim();
    if (url === '') e['url'] = 'Enter the address of your GitLab, such as https://gitlab.com.';
    else if (!/^https?:\/\/[^\s/]+/i.test(url)) e['url'] = 'The address starts with https://, such as https://gitlab.com.';
    const project = this.project.trim();
    if (project === '') e['project'] = 'Enter the project path, such as acme/support.';
    else if (/^https?:\/\//i.test(project)) e['project'] = 'Enter the path alone, such as acme/support, not its web address.';
    else if (!/^[^\s/]+(\/[^\s/]+)+$/.test(project.replace(/^\/+|\/+$/g, '')))
      e['project'] = 'The path has the group and the project, such as acme/support.';
    if (!this.editing && this.token.trim() === '') e['token'] = 'Paste a personal access token with the api scope.';
    return e;
  }

  toForm(): GitLabForm {
    return {
      id: this.id,
      name: this.name.trim(),
      url: this.url.trim().replace(/\/+$/, ''),
      project: this.project.trim().replace(/^\/+|\/+$/g, ''),
      token: this.token.trim(),
    };
  }

  clearSecrets(): void {
    this.token = '';
  }

  protected callTest(f: GitLabForm): Promise<Check> {
    return this.#api.testGitLab(f);
  }

  protected callSave(f: GitLabForm): Promise<Account> {
    return this.#api.saveGitLab(f);
  }
}

/** The fields the mailbox and identity forms share: a mail server and a login. */
abstract class ServerFormState<F> extends AccountFormState<F> {
  abstract readonly protocol: 'imap' | 'smtp';
  name = $state('');
  host = $state('');
  /** As typed; parsePort reads it. */
  port = $state('');
  security = $state<MailSecurity>('tls');
  login = $state('');
  password = $state('');

  protected initServer(account: Account | undefined, protocol: 'imap' | 'smtp'): void {
    if (account) {
      this.name = account.name;
      this.host = account.host;
      this.port = account.port > 0 ? String(account.port) : '';
      this.security = account.security === '' ? 'tls' : account.security;
      this.login = account.login;
    } else {
      this.port = String(DEFAULT_PORTS[protocol].tls);
    }
  }

  /** setSecurity changes the security, and the port with it while the port is the usual one. */
  setSecurity(next: MailSecurity): void {
    const ports = DEFAULT_PORTS[this.protocol];
    const port = parsePort(this.port);
    if (this.port.trim() === '' || port === ports[this.security]) this.port = String(ports[next]);
    this.security = next;
  }

  protected serverErrors(what: string): FieldErrors {
    const e: FieldErrors = {};
    const host = hostError(this.host, what);
    if (host) e['host'] = host;
    const port = portError(this.port);
    if (port) e['port'] = port;
    if (this.login.trim() === '') e['login'] = 'Enter the user name to sign in with.';
    if (!this.editing && this.password === '') e['password'] = 'Enter the password.';
    return e;
  }

  clearSecrets(): void {
    this.password = '';
  }
}

export class MailboxFormState extends ServerFormState<MailboxForm> {
  readonly kind = 'imap';
  readonly protocol = 'imap';
  /** 0 for none. */
  projectId = $state(0);
  /** Comma-separated; empty means INBOX and Sent. */
  folders = $state('');
  readonly #api: FormsApi;

  constructor(api: FormsApi, account?: Account) {
    super(account?.id ?? 0);
    this.#api = api;
    this.initServer(account, 'imap');
    if (account) {
      this.projectId = account.project_id;
      this.folders = account.folders.join(', ');
    }
  }

  get errors(): FieldErrors {
    return this.serverErrors('IMAP');
  }

  toForm(): MailboxForm {
    return {
      id: this.id,
      name: this.name.trim(),
      host: this.host.trim(),
      port: parsePort(this.port),
      security: this.security,
      login: this.login.trim(),
      password: this.password,
      project_id: this.projectId,
      folders: parseFolders(this.folders),
    };
  }

  protected callTest(f: MailboxForm): Promise<Check> {
    return this.#api.testMailbox(f);
  }

  protected callSave(f: MailboxForm): Promise<Account> {
    return this.#api.saveMailbox(f);
  }
}

export class IdentityFormState extends ServerFormState<IdentityForm> {
  readonly kind = 'smtp';
  readonly protocol = 'smtp';
  projectId = $state(0);
  fromAddress = $state('');
  fromName = $state('');
  delivery = $state<'gitlab' | 'smtp'>('smtp');
  signature = $state('');
  readonly #api: FormsApi;

  constructor(api: FormsApi, account?: Account, projectIds: readonly number[] = []) {
    super(account?.id ?? 0);
    this.#api = api;
    this.initServer(account, 'smtp');
    if (account) {
      this.projectId = account.project_id;
      this.fromAddress = account.from_address;
      this.fromName = account.from_name;
      this.delivery = account.delivery === 'gitlab' ? 'gitlab' : 'smtp';
      this.signature = account.signature;
    } else if (projectIds.length === 1) {
      this.projectId = projectIds[0] ?? 0;
    }
  }

  get errors(): FieldErrors {
    const e: FieldErrors = {};
    if (this.projectId === 0) e['project'] = 'Choose the project this identity answers for.';
    const from = this.fromAddress.trim();
    if (from === '') e['fromAddress'] = 'Enter the brand address, such as support@acme.com.';
    else if (!/^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/.test(from))
      e['fromAddress'] = 'Enter the address alone, such as support@acme.com.';
    if (/[\r\n]/.test(this.fromName)) e['fromName'] = 'The display name is one line.';
    return { ...e, ...this.serverErrors('SMTP') };
  }

  toForm(): IdentityForm {
    return {
      id: this.id,
      name: this.name.trim(),
      project_id: this.projectId,
      from_address: this.fromAddress.trim(),
      from_name: this.fromName.trim(),
      delivery: this.delivery,
      signature: this.signature.trim(),
      host: this.host.trim(),
      port: parsePort(this.port),
      security: this.security,
      login: this.login.trim(),
      password: this.password,
    };
  }

  protected callTest(f: IdentityForm): Promise<Check> {
    return this.#api.testIdentity(f);
  }

  protected callSave(f: IdentityForm): Promise<Account> {
    return this.#api.saveIdentity(f);
  }
}

export type AnyFormState = GitLabFormState | MailboxFormState | IdentityFormState;

/** newForm makes the form for adding (no account) or editing an account. */
export function newForm(
  api: FormsApi,
  kind: AccountKind,
  account?: Account,
  projectIds: readonly number[] = [],
): AnyFormState {
  switch (kind) {
    case 'gitlab':
      return new GitLabFormState(api, account);
    case 'imap':
      return new MailboxFormState(api, account);
    case 'smtp':
      return new IdentityFormState(api, account, projectIds);
  }
}
