import { describe, expect, it } from 'vitest';
import { FakeApi, account } from '../test/fixtures';
import { GitLabFormState, IdentityFormState, MailboxFormState, parseFolders, parsePort } from './account-forms.svelte';
import { SettingsStore } from './settings.svelte';

describe('account form values', () => {
  it('reads ports and folder lists', () => {
    expect(parsePort(' 993 ')).toBe(993);
    expect(Number.isNaN(parsePort('99x'))).toBe(true);
    expect(Number.isNaN(parsePort('-1'))).toBe(true);
    expect(parseFolders('')).toEqual([]);
    expect(parseFolders('INBOX, Sent Items ,')).toEqual(['INBOX', 'Sent Items']);
  });

  it('follows the usual port of each security while the port is the usual one', () => {
    const f = new MailboxFormState(new FakeApi());
    expect([f.security, f.port]).toEqual(['tls', '993']);
    f.setSecurity('starttls');
    expect(f.port).toBe('143');
    f.setSecurity('none');
    expect(f.port).toBe('143');
    f.setSecurity('tls');
    expect(f.port).toBe('993');
    f.port = '';
    f.setSecurity('starttls');
    expect(f.port).toBe('143');

    const s = new IdentityFormState(new FakeApi());
    expect(s.port).toBe('465');
    s.setSecurity('starttls');
    expect(s.port).toBe('587');
    s.port = '2525';
    s.setSecurity('tls');
    expect(s.port).toBe('2525');
  });

  it('trims what it sends, and tidies a GitLab address and path', () => {
    const g = new GitLabFormState(new FakeApi());
    g.url = ' https://gitlab.acme.com/ ';
    g.project = '/acme/support/ ';
    g.token = ' glpat-x ';
    expect(g.valid).toBe(true);
    expect(g.toForm()).toEqual({ id: 0, name: '', url: 'https://gitlab.acme.com', project: 'acme/support', token: 'glpat-x' });
  });

  it('needs a secret only when adding', () => {
    expect(new GitLabFormState(new FakeApi()).errors['token']).toBeTruthy();
    expect(new GitLabFormState(new FakeApi(), account(1, 'gitlab')).errors['token']).toBeUndefined();
    expect(new MailboxFormState(new FakeApi(), account(2, 'imap')).valid).toBe(true);
    expect(new IdentityFormState(new FakeApi(), account(3, 'smtp')).valid).toBe(true);
  });

  it('clears the secret after a save, keeps it after a rejected one', async () => {
    const api = new FakeApi();
    const f = new GitLabFormState(api);
    f.project = 'acme/support';
    f.token = 'glpat-secret';
    api.saveResult = new Error('GitLab refused the token.');
    expect(await f.save()).toBeNull();
    expect(f.saveError).toBe('GitLab refused the token.');
    expect(f.token).toBe('glpat-secret');
    api.saveResult = null;
    expect(await f.save()).toMatchObject({ kind: 'gitlab' });
    expect(f.token).toBe('');
  });

  it('the settings drop the form and its secret when it closes', () => {
    const settings = new SettingsStore(new FakeApi());
    settings.openForm('smtp');
    const form = settings.form;
    if (form?.kind !== 'smtp') throw new Error('no identity form');
    form.password = 'pw';
    settings.close();
    expect(form.password).toBe('');
    expect(settings.form).toBeNull();
    expect(settings.isOpen).toBe(false);

    settings.openList();
    settings.openForm('imap');
    settings.closeForm();
    expect(settings.screen.view).toBe('list');
  });
});
