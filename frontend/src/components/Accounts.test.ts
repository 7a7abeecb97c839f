import { fireEvent } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeApi, account, check, overview } from '../test/fixtures';
import { byTestId, choose, click, renderApp, settle, type } from '../test/render';

const TOKEN = 'glpat-SECRET-token-1234';
const PASSWORD = 'imap-SECRET-pw-5678';

function apiWithAccounts(): FakeApi {
  const api = new FakeApi();
  api.accountList = [
    account(1, 'gitlab'),
    account(2, 'imap', { project_id: 7, project: 'acme/support' }),
    account(3, 'smtp'),
  ];
  return api;
}

async function openAccounts(api: FakeApi) {
  const r = await renderApp(api);
  await click('open-accounts');
  return r;
}

function cards(kind?: string): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-testid="account"]')].filter((c) => !kind || c.dataset['kind'] === kind);
}

function card(id: number): HTMLElement {
  const c = cards().find((x) => x.dataset['id'] === String(id));
  if (!c) throw new Error(`no account card ${id}`);
  return c;
}

function html(): string {
  return document.documentElement.outerHTML;
}

describe('accounts list', () => {
  it('opens from the sidebar and lists the accounts by kind, without secrets', async () => {
    const api = apiWithAccounts();
    await openAccounts(api);
    const modal = byTestId('settings-modal');
    expect(modal.getAttribute('role')).toBe('dialog');
    expect(modal.getAttribute('aria-modal')).toBe('true');
    expect(byTestId('account-group-gitlab').textContent).toContain('GitLab accounts');
    expect(cards('gitlab')).toHaveLength(1);
    expect(cards('imap')).toHaveLength(1);
    expect(cards('smtp')).toHaveLength(1);
    expect(card(1).textContent).toContain('https://gitlab.example.com');
    expect(card(1).textContent).toContain('acme/support');
    expect(card(2).textContent).toContain('support@acme.com on imap.acme.com:993');
    expect(card(3).textContent).toContain('Acme Support <support@acme.com>');
    // The page behind takes no clicks or focus (Svelte sets the inert property).
    expect(document.querySelector<HTMLElement>('.app')?.inert).toBe(true);
  });

  it('also opens with Ctrl+, and closes with Escape, giving focus back', async () => {
    await renderApp(apiWithAccounts());
    const opener = byTestId('open-accounts');
    opener.focus();
    await fireEvent.keyDown(window, { key: ',', ctrlKey: true });
    await settle();
    const modal = byTestId('settings-modal');
    expect(modal.contains(document.activeElement)).toBe(true);
    await fireEvent.keyDown(document.activeElement ?? modal, { key: 'Escape' });
    await settle();
    expect(document.querySelector('[data-testid="settings-modal"]')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps Tab inside the modal', async () => {
    await openAccounts(apiWithAccounts());
    const modal = byTestId('settings-modal');
    const focusables = [...modal.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled])')];
    const last = focusables[focusables.length - 1];
    const first = focusables[0];
    if (!first || !last) throw new Error('no buttons');
    last.focus();
    await fireEvent.keyDown(last, { key: 'Tab' });
    expect(document.activeElement).toBe(first);
    await fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
  });

  it('says when there are no accounts of a kind', async () => {
    const api = new FakeApi();
    await openAccounts(api);
    expect(document.querySelectorAll('[data-testid="accounts-none"]')).toHaveLength(3);
    expect(byTestId('account-group-imap').textContent).toContain('No mailbox');
  });

  it('shows a load failure with its sentence', async () => {
    const api = new FakeApi();
    api.accountList = new Error('The local database is locked.');
    await openAccounts(api);
    expect(byTestId('accounts-error').textContent).toContain('The local database is locked.');
  });

  it('Test connection on a saved account shows the sentence, green or red, with details', async () => {
    const api = apiWithAccounts();
    await openAccounts(api);
    api.checkResult = check({ summary: 'Signed in as agent; acme/support has Service Desk on.', details: ['Scopes: api'] });
    await click('account-test', card(1));
    expect(api.testedAccounts).toEqual([1]);
    let result = byTestId('account-test-result', card(1));
    expect(result.dataset['ok']).toBe('true');
    expect(result.textContent).toContain('Signed in as agent; acme/support has Service Desk on.');
    expect(result.textContent).toContain('Scopes: api');

    api.checkResult = check({ ok: false, summary: 'The IMAP server refused the password for support@acme.com.', problem: 'auth' });
    await click('account-test', card(2));
    result = byTestId('account-test-result', card(2));
    expect(result.dataset['ok']).toBe('false');
    expect(result.dataset['problem']).toBe('auth');
    expect(result.getAttribute('role')).toBeNull();
    expect(result.textContent).toContain('refused the password');
  });

  it('Remove asks first, says what is deleted, and can be kept', async () => {
    const api = apiWithAccounts();
    const { state } = await openAccounts(api);
    await click('account-remove', card(2));
    const dialog = byTestId('account-remove-dialog', card(2));
    expect(dialog.textContent).toContain('system keychain');
    expect(dialog.textContent).toContain('cached on this computer');
    expect(api.removedAccounts).toEqual([]);
    expect(document.activeElement).toBe(byTestId('account-remove-cancel', card(2)));

    // Escape in the confirmation cancels it, and leaves the window open.
    await fireEvent.keyDown(byTestId('account-remove-cancel', card(2)), { key: 'Escape' });
    await settle();
    expect(card(2).querySelector('[data-testid="account-remove-dialog"]')).toBeNull();
    expect(byTestId('settings-modal')).toBeTruthy();
    expect(api.removedAccounts).toEqual([]);

    await click('account-remove', card(1));
    expect(byTestId('account-remove-dialog', card(1)).textContent).toMatch(/token from the system keychain and the\s+tickets cached/);
    await click('account-remove-confirm', card(1));
    expect(api.removedAccounts).toEqual([1]);
    expect(cards('gitlab')).toHaveLength(0);
    expect(state.accounts.accounts.map((a) => a.id)).toEqual([2, 3]);
  });

  it('shows why a removal failed and keeps the account', async () => {
    const api = apiWithAccounts();
    api.removeResult = new Error('The keychain is locked: unlock it and try again.');
    await openAccounts(api);
    await click('account-remove', card(3));
    await click('account-remove-confirm', card(3));
    expect(byTestId('account-remove-error', card(3)).textContent).toBe('The keychain is locked: unlock it and try again.');
    expect(cards('smtp')).toHaveLength(1);
  });
});

describe('account forms', () => {
  it('Test connection shows the ok sentence in green, then a failure in red; disabled while running', async () => {
    const api = new FakeApi();
    await openAccounts(api);
    await click('add-gitlab');
    await type('field-project', 'acme/support');
    await type('field-token', TOKEN);

    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    api.checkResult = check({ summary: 'Signed in as agent; acme/support has Service Desk on.' });
    await click('form-test');
    expect(byTestId<HTMLButtonElement>('form-test').disabled).toBe(true);
    expect(byTestId<HTMLButtonElement>('form-save').disabled).toBe(true);
    expect(byTestId('form-check').dataset['state']).toBe('running');
    open();
    api.gate = null;
    await settle();
    expect(byTestId<HTMLButtonElement>('form-test').disabled).toBe(false);
    expect(byTestId('form-check').dataset['ok']).toBe('true');
    expect(byTestId('form-check').classList.contains('good')).toBe(true);
    expect(byTestId('form-check').textContent).toContain('Signed in as agent');
    expect(api.formCalls[0]).toEqual({
      method: 'testGitLab',
      form: { id: 0, name: '', url: 'https://gitlab.com', project: 'acme/support', token: TOKEN },
    });

    api.checkResult = check({ ok: false, summary: 'GitLab refused the token: it is wrong, expired or revoked.', problem: 'auth' });
    await click('form-test');
    expect(byTestId('form-check').dataset['ok']).toBe('false');
    expect(byTestId('form-check').classList.contains('bad')).toBe(true);
    expect(byTestId('form-check').textContent).toContain('GitLab refused the token');

    // A rejected call (not a failed check) shows its sentence too.
    api.checkResult = new Error('a field is too long (3000 characters; at most 2048)');
    await click('form-test');
    expect(byTestId('form-check').dataset['ok']).toBe('false');
    expect(byTestId('form-check').textContent).toContain('a field is too long');
  });

  it('a rejected Save shows the sentence and keeps the form open with its values', async () => {
    const api = new FakeApi();
    await openAccounts(api);
    await click('add-imap');
    await type('field-host', 'imap.acme.com');
    await type('field-login', 'support@acme.com');
    await type('field-password', PASSWORD);
    api.saveResult = new Error('The IMAP server refused the password for support@acme.com.');
    await click('form-save');
    expect(byTestId('form-save-error').textContent).toBe('The IMAP server refused the password for support@acme.com.');
    expect(byTestId('account-form').dataset['kind']).toBe('imap');
    expect(byTestId<HTMLInputElement>('field-host').value).toBe('imap.acme.com');
    expect(byTestId<HTMLInputElement>('field-password').value).toBe(PASSWORD);
    expect(api.formCalls.at(-1)).toMatchObject({
      method: 'saveMailbox',
      form: { id: 0, host: 'imap.acme.com', port: 993, security: 'tls', login: 'support@acme.com', password: PASSWORD, project_id: 0, folders: [] },
    });
  });

  it('a saved form closes, clears its secret, reloads the accounts and goes back to the list', async () => {
    const api = new FakeApi();
    const { state } = await openAccounts(api);
    await click('add-imap');
    const form = state.settings.form;
    if (!form || form.kind !== 'imap') throw new Error('no mailbox form');
    await type('field-host', 'imap.acme.com');
    await type('field-login', 'support@acme.com');
    await type('field-password', PASSWORD);
    await type('field-folders', ' INBOX , Archive,, ');
    api.accountList = [account(5, 'imap')];
    await click('form-save');
    expect(api.formCalls.at(-1)?.form).toMatchObject({ folders: ['INBOX', 'Archive'] });
    expect(form.password).toBe('');
    expect(document.querySelector('[data-testid="account-form"]')).toBeNull();
    expect(cards('imap')).toHaveLength(1);
    expect(html()).not.toContain(PASSWORD);
    expect(document.activeElement).toBe(byTestId('add-imap'));
  });

  it('Cancel and Escape drop the form and its secret', async () => {
    const api = new FakeApi();
    const { state } = await openAccounts(api);
    await click('add-gitlab');
    let form = state.settings.form;
    await type('field-project', 'acme/support');
    await type('field-token', TOKEN);
    await click('form-cancel');
    expect(form?.kind === 'gitlab' && form.token).toBe('');
    expect(byTestId('accounts-list')).toBeTruthy();
    expect(html()).not.toContain(TOKEN);

    await click('add-smtp');
    form = state.settings.form;
    await type('field-password', PASSWORD);
    await fireEvent.keyDown(byTestId('field-password'), { key: 'Escape' });
    await settle();
    expect(form?.kind === 'smtp' && form.password).toBe('');
    expect(byTestId('accounts-list')).toBeTruthy();
    expect(state.settings.form).toBeNull();
  });

  it('editing starts with an empty secret and the keychain placeholder, and sends it empty unless typed', async () => {
    const api = apiWithAccounts();
    await openAccounts(api);
    await click('account-edit', card(1));
    const token = byTestId<HTMLInputElement>('field-token');
    expect(token.value).toBe('');
    expect(token.placeholder).toBe('Saved in the keychain — type to replace');
    expect(token.type).toBe('password');
    expect(token.getAttribute('autocomplete')).toBe('new-password');
    expect(token.getAttribute('spellcheck')).toBe('false');
    expect(byTestId<HTMLInputElement>('field-url').value).toBe('https://gitlab.example.com');
    expect(byTestId<HTMLInputElement>('field-project').value).toBe('acme/support');
    await click('form-test');
    expect(api.formCalls.at(-1)).toEqual({
      method: 'testGitLab',
      form: { id: 1, name: 'Acme GitLab', url: 'https://gitlab.example.com', project: 'acme/support', token: '' },
    });
    await type('field-token', TOKEN);
    await click('form-save');
    expect(api.formCalls.at(-1)).toMatchObject({ method: 'saveGitLab', form: { id: 1, token: TOKEN } });

    await click('account-edit', card(2));
    const pw = byTestId<HTMLInputElement>('field-password');
    expect(pw.value).toBe('');
    expect(pw.placeholder).toBe('Saved in the keychain — type to replace');
    expect(byTestId<HTMLSelectElement>('field-project').value).toBe('7');
    await click('form-save');
    expect(api.formCalls.at(-1)).toMatchObject({ method: 'saveMailbox', form: { id: 2, password: '', port: 993, project_id: 7 } });
  });

  it('changing the security changes a default port, and leaves a custom one', async () => {
    await openAccounts(new FakeApi());
    await click('add-imap');
    const port = () => byTestId<HTMLInputElement>('field-port').value;
    expect(byTestId<HTMLSelectElement>('field-security').value).toBe('tls');
    expect(port()).toBe('993');
    await choose('field-security', 'starttls');
    expect(port()).toBe('143');
    await type('field-port', '10143');
    await choose('field-security', 'tls');
    expect(port()).toBe('10143');
    await click('form-cancel');

    await click('add-smtp');
    expect(port()).toBe('465');
    await choose('field-security', 'starttls');
    expect(port()).toBe('587');
    await choose('field-security', 'tls');
    expect(port()).toBe('465');
  });

  it('new identities default to SMTP delivery and the only project, and explain both choices', async () => {
    const api = new FakeApi();
    await openAccounts(api);
    await click('add-smtp');
    expect(byTestId<HTMLInputElement>('field-delivery-smtp').checked).toBe(true);
    expect(byTestId('account-form').textContent).toContain('GitLab’s custom email');
    expect(byTestId<HTMLSelectElement>('field-project').value).toBe('7');
    await type('field-from-address', 'support@acme.com');
    await type('field-host', 'smtp.acme.com');
    await type('field-login', 'support@acme.com');
    await type('field-password', PASSWORD);
    byTestId<HTMLInputElement>('field-delivery-gitlab').click();
    await settle();
    await type('field-signature', '  Kind regards,\n{{agent.name}}, Acme Support \n');
    await click('form-test');
    expect(api.formCalls.at(-1)).toEqual({
      method: 'testIdentity',
      form: {
        id: 0,
        name: '',
        project_id: 7,
        from_address: 'support@acme.com',
        from_name: '',
        delivery: 'gitlab',
        signature: 'Kind regards,\n{{agent.name}}, Acme Support',
        host: 'smtp.acme.com',
        port: 465,
        security: 'tls',
        login: 'support@acme.com',
        password: PASSWORD,
      },
    });
  });

  it('identities choose their project from the overview', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({
      projects: [
        { id: 7, path: 'acme/support', name: 'Support', labels: [{ name: 'billing', color: '#d9534f' }], members: [{ username: 'alex.morgan', name: 'Alex Morgan' }] },
        { id: 9, path: 'acme/billing', name: 'Billing', labels: [], members: [] },
      ],
    });
    await openAccounts(api);
    await click('add-smtp');
    const select = byTestId<HTMLSelectElement>('field-project');
    expect([...select.options].map((o) => o.textContent)).toEqual(['Choose a project…', 'Support (acme/support)', 'Billing (acme/billing)']);
    await click('form-test');
    expect(api.formCalls).toEqual([]);
    expect(byTestId('account-form').textContent).toContain('Choose the project this identity answers for.');
    await choose('field-project', '9');
    expect(byTestId('account-form').textContent).not.toContain('Choose the project this identity answers for.');
  });

  it('points out obvious mistakes before calling the backend', async () => {
    const api = new FakeApi();
    await openAccounts(api);
    await click('add-imap');
    await type('field-port', '70000');
    const errors = () =>
      Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('[data-testid="field-error"]')].map((e) => [
          (e.dataset['field'] ?? '').replace(/^acct-\w+-/, ''),
          e.textContent,
        ]),
      );
    expect(errors()).toEqual({ port: 'The port is a number from 1 to 65535.' });
    await click('form-save');
    expect(api.formCalls).toEqual([]);
    expect(Object.keys(errors()).sort()).toEqual(['host', 'login', 'password', 'port']);
    expect(byTestId('field-host').getAttribute('aria-invalid')).toBe('true');
    await settle();
    expect(document.activeElement).toBe(byTestId('field-host'));
    await type('field-host', 'imaps://imap.acme.com');
    expect(errors()['host']).toContain('without imap://');
    await click('form-cancel');

    await click('add-gitlab');
    await type('field-url', '');
    await type('field-project', 'support');
    await click('form-test');
    expect(api.formCalls).toEqual([]);
    const e = errors();
    expect(e['url']).toContain('https://gitlab.com');
    expect(e['project']).toContain('acme/support');
    expect(e['token']).toContain('api scope');
  });
});
