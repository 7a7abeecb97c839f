import { beforeEach, describe, expect, it, vi } from 'vitest';

// The generated wailsjs modules call window.go; unit tests replace them.
const app = vi.hoisted(() => ({
  Overview: vi.fn(),
  ListTickets: vi.fn(),
  GetTicket: vi.fn(),
  SyncNow: vi.fn(),
  Accounts: vi.fn(),
  TestGitLab: vi.fn(),
  SaveGitLab: vi.fn(),
  TestMailbox: vi.fn(),
  SaveMailbox: vi.fn(),
  TestIdentity: vi.fn(),
  SaveIdentity: vi.fn(),
  TestAccount: vi.fn(),
  RemoveAccount: vi.fn(),
  TryDemo: vi.fn(),
  MessageHTML: vi.fn(),
  AllowRemoteImages: vi.fn(),
  SaveAttachment: vi.fn(),
  OpenLink: vi.fn(),
  Reply: vi.fn(),
  Undo: vi.fn(),
  Triage: vi.fn(),
  Outbox: vi.fn(),
  Decide: vi.fn(),
  SaveDraft: vi.fn(),
  GetDraft: vi.fn(),
  PickAttachments: vi.fn(),
  Merge: vi.fn(),
  BulkTriage: vi.fn(),
  UnlinkedMail: vi.fn(),
  GetPrefs: vi.fn(),
  SavePrefs: vi.fn(),
  Templates: vi.fn(),
  SaveTemplate: vi.fn(),
}));
const runtime = vi.hoisted(() => ({ EventsOn: vi.fn(), ClipboardSetText: vi.fn() }));
vi.mock('../../wailsjs/go/app/App', () => app);
vi.mock('../../wailsjs/runtime/runtime', () => runtime);

import {
  allowRemoteImages,
  bulkTriage,
  unlinkedMail,
  copyText,
  BackendError,
  decide,
  getDraft,
  merge,
  onOutboxChanged,
  pickAttachments,
  outbox,
  reply,
  saveDraft,
  triage,
  undo,
  getOverview,
  getPrefs,
  savePrefs,
  saveTemplate,
  templates,
  getTicket,
  listAccounts,
  listTickets,
  messageHTML,
  onSyncState,
  openLink,
  onTicketsChanged,
  removeAccount,
  saveAttachment,
  saveGitLab,
  saveIdentity,
  saveMailbox,
  syncNow,
  testAccount,
  testGitLab,
  testIdentity,
  testMailbox,
  toError,
  tryDemo,
} from './index';
import { account, op, row, status, ticket } from '../test/fixtures';
import type { TicketQuery } from './types';

const query = (over: Partial<TicketQuery> = {}): TicketQuery => ({
  view: 'all',
  project_id: 0,
  search: '',
  sort: 'updated',
  offset: 0,
  limit: 200,
  ...over,
});

beforeEach(() => {
  vi.resetAllMocks();
});

describe('error wrapping', () => {
  it('turns a Go error string into an Error with that sentence', async () => {
    app.ListTickets.mockRejectedValue('search: syntax error near "AND"');
    const err = await listTickets(query({ search: 'a AND' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toBeInstanceOf(Error);
    expect((err as BackendError).message).toBe('search: syntax error near "AND"');
    expect((err as BackendError).method).toBe('ListTickets');
  });

  it.each([
    ['GetTicket', () => getTicket(1, 2), app.GetTicket],
    ['Overview', () => getOverview(), app.Overview],
    ['SyncNow', () => syncNow(), app.SyncNow],
    ['Accounts', () => listAccounts(), app.Accounts],
    ['TestAccount', () => testAccount(1), app.TestAccount],
    ['RemoveAccount', () => removeAccount(1), app.RemoveAccount],
    ['TryDemo', () => tryDemo(), app.TryDemo],
    ['MessageHTML', () => messageHTML('a@b'), app.MessageHTML],
    ['AllowRemoteImages', () => allowRemoteImages('a@b', false), app.AllowRemoteImages],
    ['SaveAttachment', () => saveAttachment('a@b', 0), app.SaveAttachment],
    ['OpenLink', () => openLink('https://x.example'), app.OpenLink],
    ['SaveGitLab', () => saveGitLab({ id: 0, name: '', url: 'https://gitlab.com', project: 'a/b', token: 't' }), app.SaveGitLab],
  ] as const)('wraps rejections of %s', async (method, call, fn) => {
    fn.mockRejectedValue('');
    await expect(call()).rejects.toThrow(`${method} failed.`);
  });

  it('keeps real Errors (e.g. the bindings missing) as they are', async () => {
    const boom = new TypeError("Cannot read properties of undefined (reading 'app')");
    app.Overview.mockImplementation(() => {
      throw boom;
    });
    await expect(getOverview()).rejects.toBe(boom);
  });

  it('reads a message from odd rejection values', () => {
    expect(toError('X', { message: 'from object' }).message).toBe('from object');
    expect(toError('X', 42).message).toBe('X failed.');
    expect(toError('X', null).message).toBe('X failed.');
  });
});

describe('calls', () => {
  it('passes the query through, turns Go nil slices into arrays and gives the page with its total', async () => {
    app.ListTickets.mockResolvedValue({
      rows: [{ ...row(1), labels: null, assignees: null, waiting_since: undefined, unread: true, match: 'the [printer] jams' }],
      offset: 200,
      total: 1234,
      capped: true,
    });
    const q = query({ view: 'needs_reply', project_id: 7, search: 'printer', sort: 'waiting', offset: 200, limit: 200 });
    const page = await listTickets(q);
    expect(app.ListTickets).toHaveBeenCalledWith(q);
    expect(page).toMatchObject({ offset: 200, total: 1234, capped: true });
    expect(page.rows[0]).toMatchObject({ labels: [], assignees: [], waiting_since: '', unread: true, match: 'the [printer] jams' });

    app.ListTickets.mockResolvedValue(null);
    await expect(listTickets(query())).resolves.toEqual({ rows: [], offset: 0, total: 0, capped: false });
  });

  it('asks for the overview of one project and gives saved views their query and error', async () => {
    app.Overview.mockResolvedValue({
      projects: [],
      views: [{ id: 'view:3', name: 'Billing', count: 1000, query: 'refund label:billing', capped: true }, { id: 'open', name: 'All open', count: 5 }],
      status: status(),
    });
    const o = await getOverview(7);
    expect(app.Overview).toHaveBeenCalledWith(7);
    expect(o.views).toEqual([
      { id: 'view:3', name: 'Billing', count: 1000, query: 'refund label:billing', error: '', capped: true },
      { id: 'open', name: 'All open', count: 5, query: '', error: '', capped: false },
    ]);
  });

  it('sends bulk changes with assignees left out when unchanged, and reads mail pages', async () => {
    app.BulkTriage.mockResolvedValue(null);
    await bulkTriage({ tickets: [{ project_id: 7, iid: 1 }], add_labels: ['vip'], remove_labels: [], assignees: null, state: '' });
    const sent = app.BulkTriage.mock.calls[0]![0];
    expect(JSON.parse(JSON.stringify(sent))).toEqual({ tickets: [{ project_id: 7, iid: 1 }], add_labels: ['vip'], remove_labels: [], state: '' });
    app.BulkTriage.mockRejectedValue('1 of 2 tickets were not changed: #9: not found');
    await expect(
      bulkTriage({ tickets: [{ project_id: 7, iid: 9 }], add_labels: [], remove_labels: [], assignees: [], state: 'close' }),
    ).rejects.toThrow('1 of 2 tickets were not changed: #9: not found');

    app.UnlinkedMail.mockResolvedValue({ rows: [{ message_id: 'a@b', subject: 'Hi', attachments: null }], offset: 0, total: 3 });
    const page = await unlinkedMail(0, 200);
    expect(app.UnlinkedMail).toHaveBeenCalledWith(0, 200);
    expect(page.total).toBe(3);
    expect(page.rows[0]).toMatchObject({ message_id: 'a@b', subject: 'Hi', from_name: '', attachments: [], has_html: false });
  });

  it('gives tickets and overviews arrays where Go sent null', async () => {
    app.GetTicket.mockResolvedValue({ ...ticket(2), thread: null, labels: null });
    const t = await getTicket(7, 2);
    expect(app.GetTicket).toHaveBeenCalledWith(7, 2);
    expect(t.thread).toEqual([]);
    expect(t.labels).toEqual([]);

    app.Overview.mockResolvedValue({ projects: null, views: null, status: status() });
    await expect(getOverview()).resolves.toMatchObject({ projects: [], views: [] });
  });
});

describe('accounts', () => {
  const gitlabForm = { id: 0, name: '', url: 'https://gitlab.com', project: 'acme/support', token: 'glpat-secret' };
  const mailboxForm = {
    id: 0,
    name: '',
    host: 'imap.acme.com',
    port: 993,
    security: 'tls' as const,
    login: 'support@acme.com',
    password: 'pw',
    project_id: 0,
    folders: ['INBOX'],
  };
  const identityForm = {
    id: 0,
    name: '',
    project_id: 7,
    from_address: 'support@acme.com',
    from_name: 'Acme',
    delivery: 'smtp' as const,
    signature: '-- \nAcme Support',
    host: 'smtp.acme.com',
    port: 465,
    security: 'tls' as const,
    login: 'support@acme.com',
    password: 'pw',
  };

  it('lists accounts with arrays for null slices, and leaves out unknown kinds', async () => {
    app.Accounts.mockResolvedValue([
      { ...account(1, 'imap'), folders: null },
      { ...account(2, 'gitlab'), security: 'weird', delivery: 'x' },
      { ...account(3, 'imap'), kind: 'pop3' },
    ]);
    const list = await listAccounts();
    expect(list.map((a) => a.id)).toEqual([1, 2]);
    expect(list[0]?.folders).toEqual([]);
    expect(list[1]?.security).toBe('');
    expect(list[1]?.delivery).toBe('');
    app.Accounts.mockResolvedValue(null);
    await expect(listAccounts()).resolves.toEqual([]);
  });

  it('passes forms through and gives checks with arrays', async () => {
    app.TestGitLab.mockResolvedValue({ ok: false, summary: 'GitLab refused the token.', details: null, problem: 'auth' });
    await expect(testGitLab(gitlabForm)).resolves.toEqual({ ok: false, summary: 'GitLab refused the token.', details: [], problem: 'auth' });
    expect(app.TestGitLab).toHaveBeenCalledWith(gitlabForm);

    app.TestMailbox.mockResolvedValue({ ok: true, summary: 'Signed in.', details: ['Folders: INBOX'], problem: '' });
    await expect(testMailbox(mailboxForm)).resolves.toMatchObject({ ok: true, details: ['Folders: INBOX'] });
    expect(app.TestMailbox).toHaveBeenCalledWith(mailboxForm);

    app.TestIdentity.mockResolvedValue({ ok: true, summary: 'Signed in.', details: [], problem: '' });
    await testIdentity(identityForm);
    expect(app.TestIdentity).toHaveBeenCalledWith(identityForm);

    app.TestAccount.mockResolvedValue({ ok: true, summary: 'Signed in.', details: null, problem: '' });
    await expect(testAccount(4)).resolves.toMatchObject({ details: [] });
    expect(app.TestAccount).toHaveBeenCalledWith(4);
  });

  it('saves forms and gives the account back; a rejection is the sentence', async () => {
    app.SaveMailbox.mockResolvedValue({ ...account(5, 'imap'), folders: null });
    await expect(saveMailbox(mailboxForm)).resolves.toMatchObject({ id: 5, kind: 'imap', folders: [] });
    app.SaveIdentity.mockResolvedValue(account(6, 'smtp'));
    await expect(saveIdentity(identityForm)).resolves.toMatchObject({ id: 6, kind: 'smtp' });

    app.SaveGitLab.mockRejectedValue('GitLab refused the token: it is wrong, expired or revoked.');
    const err = await saveGitLab(gitlabForm).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).message).toBe('GitLab refused the token: it is wrong, expired or revoked.');
    expect((err as BackendError).method).toBe('SaveGitLab');
    expect((err as BackendError).message).not.toContain('glpat-secret');
  });

  it('removes accounts and switches to the demo', async () => {
    app.RemoveAccount.mockResolvedValue(undefined);
    await removeAccount(3);
    expect(app.RemoveAccount).toHaveBeenCalledWith(3);
    app.TryDemo.mockResolvedValue(undefined);
    await tryDemo();
    expect(app.TryDemo).toHaveBeenCalledTimes(1);
  });

  it('reads demo_available, false when the Go side does not send it', async () => {
    app.Overview.mockResolvedValue({ projects: [], views: [], status: { ...status(), demo_available: undefined } });
    await expect(getOverview()).resolves.toMatchObject({ status: { demo_available: false } });
  });
});

describe('sync status', () => {
  const oldStatus = () => {
    const { error_kind: _k, progress: _p, last_summary: _s, ...old } = status({ last_error: 'GitLab cannot be reached.' });
    return old;
  };

  it('passes error_kind, progress and last_summary through', async () => {
    const s = status({ last_error: 'GitLab refused the token.', error_kind: 'auth', progress: 1200, last_summary: '3 new' });
    app.Overview.mockResolvedValue({ projects: [], views: [], status: s });
    await expect(getOverview()).resolves.toMatchObject({ status: s });
  });

  it('gives them their zero values when an older backend leaves them out', async () => {
    app.Overview.mockResolvedValue({ projects: [], views: [], status: oldStatus() });
    const o = await getOverview();
    expect(o.status).toEqual(status({ last_error: 'GitLab cannot be reached.' }));
    expect(o.status).toMatchObject({ error_kind: '', progress: 0, last_summary: '' });

    app.Overview.mockResolvedValue({ projects: [], views: [], status: { ...status(), progress: -1, error_kind: null } });
    await expect(getOverview()).resolves.toMatchObject({ status: { progress: 0, error_kind: '' } });
  });

  it('normalizes sync:state payloads the same way', () => {
    let handler: ((p: unknown) => void) | undefined;
    runtime.EventsOn.mockImplementation((_name: string, cb: (p: unknown) => void) => {
      handler = cb;
      return () => {};
    });
    const states: unknown[] = [];
    onSyncState((s) => states.push(s));
    handler?.(oldStatus());
    handler?.(null);
    expect(states[0]).toEqual(status({ last_error: 'GitLab cannot be reached.' }));
    expect(states[1]).toMatchObject({ syncing: false, last_error: '', error_kind: '', progress: 0, last_summary: '' });
  });
});

describe('events', () => {
  it('subscribes with the right names, passes typed payloads and unsubscribes', () => {
    const off = vi.fn();
    const handlers = new Map<string, (p: unknown) => void>();
    runtime.EventsOn.mockImplementation((name: string, cb: (p: unknown) => void) => {
      handlers.set(name, cb);
      return off;
    });

    const states: unknown[] = [];
    const changes: unknown[] = [];
    const stop1 = onSyncState((s) => states.push(s));
    const stop2 = onTicketsChanged((c) => changes.push(c));

    handlers.get('sync:state')?.(status({ syncing: true }));
    handlers.get('tickets:changed')?.({ project_ids: [7], count: 3 });
    handlers.get('tickets:changed')?.({ project_ids: null, count: 1 });
    expect(states).toEqual([status({ syncing: true })]);
    expect(changes).toEqual([
      { project_ids: [7], count: 3 },
      { project_ids: [], count: 1 },
    ]);

    stop1();
    stop2();
    expect(off).toHaveBeenCalledTimes(2);
  });
});

describe('mail', () => {
  it('fills the mail fields of notes and the nulls Go sends', async () => {
    app.GetTicket.mockResolvedValue({
      ...ticket(3),
      thread: [
        { kind: 'reply', author: 'bob', author_name: 'Bob', body: 'Hi', created_at: '2024-06-15T10:00:00Z' },
        {
          kind: 'mail',
          author: 'ann@example.com',
          author_name: 'Ann',
          body: 'Hello',
          created_at: '2024-06-15T09:00:00Z',
          message_id: 'm1@x',
          folder: 'INBOX',
          subject: 'Help',
          has_html: true,
          attachments: null,
        },
      ],
    });
    const t = await getTicket(7, 3);
    expect(t.thread[0]).toMatchObject({ message_id: '', folder: '', subject: '', has_html: false, attachments: [] });
    expect(t.thread[1]).toMatchObject({ message_id: 'm1@x', folder: 'INBOX', subject: 'Help', has_html: true, attachments: [] });
  });

  it('passes the message id and normalizes the HTML answer', async () => {
    app.MessageHTML.mockResolvedValue({ html: '<p>x</p>', remote_images: 3, remote_allowed: true, sender_allowed: false });
    await expect(messageHTML('m1@x')).resolves.toEqual({ html: '<p>x</p>', remote_images: 3, remote_allowed: true, sender_allowed: false });
    expect(app.MessageHTML).toHaveBeenCalledWith('m1@x');
    app.MessageHTML.mockResolvedValue({ html: null, remote_images: -1, remote_allowed: 'yes' });
    await expect(messageHTML('m1@x')).resolves.toEqual({ html: '', remote_images: 0, remote_allowed: false, sender_allowed: false });
  });

  it('allows remote images of a message, or of its sender, through the Go side', async () => {
    app.AllowRemoteImages.mockResolvedValue(undefined);
    await expect(allowRemoteImages('m1@x', false)).resolves.toBeUndefined();
    await expect(allowRemoteImages('m1@x', true)).resolves.toBeUndefined();
    expect(app.AllowRemoteImages.mock.calls).toEqual([
      ['m1@x', false],
      ['m1@x', true],
    ]);
    app.AllowRemoteImages.mockRejectedValue('message m1@x has no sender address to trust');
    await expect(allowRemoteImages('m1@x', true)).rejects.toThrow('message m1@x has no sender address to trust');
  });

  it('saves an attachment by message id and index, and opens links through the Go side', async () => {
    app.SaveAttachment.mockResolvedValue('/tmp/a.pdf');
    await expect(saveAttachment('m1@x', 2)).resolves.toBe('/tmp/a.pdf');
    expect(app.SaveAttachment).toHaveBeenCalledWith('m1@x', 2);
    app.SaveAttachment.mockResolvedValue('');
    await expect(saveAttachment('m1@x', 2)).resolves.toBe('');

    app.OpenLink.mockRejectedValue('links of the kind "javascript" are not opened');
    await expect(openLink('javascript:x')).rejects.toThrow('links of the kind "javascript" are not opened');
    expect(app.OpenLink).toHaveBeenCalledWith('javascript:x');
  });
});

describe('outbox and drafts', () => {
  /** An op as Go sends it: nil slices as null. */
  const wire = (id: string) => ({ ...op(id), add_labels: null, remove_labels: null, assignees: null, add_cc: null, remove_cc: null, reason: null });

  it('queues a reply and gives the op with arrays where Go sent null', async () => {
    app.Reply.mockResolvedValue(wire('a'));
    const req = { project_id: 7, iid: 1, body: 'Hi', internal: false, send_at: '', attachments: ['t1'] };
    await expect(reply(req)).resolves.toEqual(op('a'));
    expect(app.Reply).toHaveBeenCalledWith(req);
    app.Reply.mockRejectedValue('write something first: the reply is empty');
    await expect(reply(req)).rejects.toThrow('write something first: the reply is empty');
  });

  it('sends triage with assignees left out when unchanged, and [] to unassign', async () => {
    app.Triage.mockResolvedValue([wire('a')]);
    const base = { project_id: 7, iid: 1, add_labels: ['x'], remove_labels: [], state: '' as const, add_cc: [], remove_cc: [] };
    await expect(triage({ ...base, assignees: null })).resolves.toEqual([op('a')]);
    expect(JSON.parse(JSON.stringify(app.Triage.mock.calls[0]![0]))).toEqual({ ...base });
    app.Triage.mockResolvedValue(null);
    await expect(triage({ ...base, assignees: [] })).resolves.toEqual([]);
    expect(app.Triage.mock.calls[1]![0]).toMatchObject({ assignees: [] });
  });

  it('lists the outbox, undoes and decides, with Go errors as sentences', async () => {
    app.Outbox.mockResolvedValue(null);
    await expect(outbox(false)).resolves.toEqual([]);
    app.Outbox.mockResolvedValue([wire('a')]);
    await expect(outbox(true)).resolves.toEqual([op('a')]);
    expect(app.Outbox.mock.calls).toEqual([[false], [true]]);

    app.Undo.mockRejectedValue('too late to undo: it is already sending');
    await expect(undo('a')).rejects.toThrow('too late to undo: it is already sending');
    app.Decide.mockResolvedValue(undefined);
    await decide('a', 'send-anyway');
    expect(app.Decide).toHaveBeenCalledWith('a', 'send-anyway');
  });

  it('saves and reads drafts, an empty one when there is none', async () => {
    app.SaveDraft.mockResolvedValue({ project_id: 7, iid: 1, body: 'x', internal: true, saved_at: '2024-06-15T12:00:00Z' });
    const d = { project_id: 7, iid: 1, body: 'x', internal: true, saved_at: '' };
    await expect(saveDraft(d)).resolves.toEqual({ ...d, saved_at: '2024-06-15T12:00:00Z' });
    app.GetDraft.mockResolvedValue({ project_id: 0, iid: 0, body: null, internal: null, saved_at: '' });
    await expect(getDraft(7, 2)).resolves.toEqual({ project_id: 7, iid: 2, body: '', internal: false, saved_at: '' });
    expect(app.GetDraft).toHaveBeenCalledWith(7, 2);
  });

  it('picks attachments by token and merges tickets through the outbox', async () => {
    app.PickAttachments.mockResolvedValue(null);
    await expect(pickAttachments()).resolves.toEqual([]);
    app.PickAttachments.mockResolvedValue([{ token: 'abc', name: 'invoice.pdf', size: 2048 }]);
    await expect(pickAttachments()).resolves.toEqual([{ token: 'abc', name: 'invoice.pdf', size: 2048 }]);
    app.Merge.mockResolvedValue({ ...wire('m'), kind: 'merge', merge_into: 12 });
    await expect(merge(7, 15, 12)).resolves.toEqual(op('m', { kind: 'merge', merge_into: 12 }));
    expect(app.Merge).toHaveBeenCalledWith(7, 15, 12);
    app.GetTicket.mockResolvedValue({ ...ticket(15), merge_into: null });
    await expect(getTicket(7, 15)).resolves.toMatchObject({ merge_into: 0 });
  });

  it('passes outbox:changed payloads as ops', () => {
    let handler: ((p: unknown) => void) | undefined;
    runtime.EventsOn.mockImplementation((name: string, cb: (p: unknown) => void) => {
      if (name === 'outbox:changed') handler = cb;
      return () => {};
    });
    const got: unknown[] = [];
    onOutboxChanged((ops) => got.push(ops));
    handler?.([wire('a'), { ...wire('b'), state: 'undone' }]);
    handler?.(null);
    expect(got).toEqual([[op('a'), op('b', { state: 'undone' })], []]);
  });
});

describe('preferences', () => {
  it('reads widths as whole pixels (0: the default) and notifications as on unless turned off', async () => {
    app.GetPrefs.mockResolvedValue({ sidebar_width: 240.4, list_width: -3, notify: false, window_width: 1200, window_height: 800 });
    await expect(getPrefs()).resolves.toEqual({ sidebar_width: 240, list_width: 0, notify: false });
    app.GetPrefs.mockResolvedValue(null);
    await expect(getPrefs()).resolves.toEqual({ sidebar_width: 0, list_width: 0, notify: true });
  });

  it('saves all of them, and says what failed', async () => {
    app.SavePrefs.mockResolvedValue(undefined);
    await savePrefs({ sidebar_width: 250, list_width: 480, notify: true });
    expect(app.SavePrefs).toHaveBeenCalledWith({ sidebar_width: 250, list_width: 480, notify: true, window_width: 0, window_height: 0 });
    app.SavePrefs.mockRejectedValue('pane widths out of range: 9999, 0');
    await expect(savePrefs({ sidebar_width: 9999, list_width: 0, notify: true })).rejects.toThrow('pane widths out of range');
  });
});

describe('the ticket view', () => {
  it('gives the customer panel its fields and arrays where Go sent null or nothing', async () => {
    app.GetTicket.mockResolvedValue({
      ...ticket(5),
      customer_card: { name: 'Ann', email: 'ann@northwind.com', organisation: 'Northwind', domain: 'northwind.com', tickets: null, tickets_total: 0 },
      first_response_at: null,
      thread: [{ kind: 'reply', author: 'bob', author_name: 'Bob', body: 'Hi', created_at: '2024-06-15T10:00:00Z' }],
    });
    const t = await getTicket(7, 5);
    expect(t.customer_card).toEqual({ name: 'Ann', email: 'ann@northwind.com', organisation: 'Northwind', domain: 'northwind.com', tickets: [], tickets_total: 0 });
    expect(t.first_response_at).toBe('');
    expect(t.thread[0]?.quoted).toBe('');

    // An older Go side sends no card at all.
    const { customer_card: _card, ...older } = ticket(6);
    app.GetTicket.mockResolvedValue(older);
    expect((await getTicket(7, 6)).customer_card).toEqual({ name: '', email: '', organisation: '', domain: '', tickets: [], tickets_total: 0 });
  });

  it('counts at least the other tickets listed, with their arrays filled', async () => {
    app.GetTicket.mockResolvedValue({
      ...ticket(5),
      customer_card: { name: '', email: 'a@b.c', organisation: '', domain: 'b.c', tickets: [{ ...row(2), labels: null, assignees: null }], tickets_total: -1 },
    });
    const card = (await getTicket(7, 5)).customer_card;
    expect(card.tickets_total).toBe(1);
    expect(card.tickets[0]).toMatchObject({ iid: 2, labels: [], assignees: [] });
  });

  it('copies through the Wails clipboard and says when it could not', async () => {
    runtime.ClipboardSetText.mockResolvedValue(true);
    await copyText('ann@northwind.com');
    expect(runtime.ClipboardSetText).toHaveBeenCalledWith('ann@northwind.com');
    runtime.ClipboardSetText.mockResolvedValue(false);
    await expect(copyText('x')).rejects.toThrow("Couldn't copy to the clipboard.");
  });
});

describe('templates', () => {
  it('gives own and shared templates their project, path and problem, "" and 0 where an older backend leaves them out', async () => {
    app.Templates.mockResolvedValue([
      { id: 4, name: 'Signature', body: 'Regards', updated_at: '2024-05-01T10:00:00Z' },
      {
        id: 0,
        name: 'Password reset',
        body: 'Hi {{ticket.order}}',
        updated_at: '',
        project_id: 7,
        path: '.gitlab/service_desk_desktop/templates/password-reset.md',
        problem: '.gitlab/service_desk_desktop/templates/password-reset.md: line 1: unknown variable {{ticket.order}}',
      },
    ]);
    expect(await templates()).toEqual([
      { id: 4, name: 'Signature', body: 'Regards', updated_at: '2024-05-01T10:00:00Z', project_id: 0, path: '', problem: '' },
      {
        id: 0,
        name: 'Password reset',
        body: 'Hi {{ticket.order}}',
        updated_at: '',
        project_id: 7,
        path: '.gitlab/service_desk_desktop/templates/password-reset.md',
        problem: '.gitlab/service_desk_desktop/templates/password-reset.md: line 1: unknown variable {{ticket.order}}',
      },
    ]);
    app.Templates.mockResolvedValue(null);
    expect(await templates()).toEqual([]);
  });

  it('saves a template with all its fields, so the Go side can refuse a shared one, and gives the refusal as a sentence', async () => {
    app.SaveTemplate.mockResolvedValue({ id: 9, name: 'Welcome', body: 'Hi', updated_at: '2024-05-01T10:00:00Z' });
    const own = { id: 0, name: 'Welcome', body: 'Hi', updated_at: '', project_id: 0, path: '', problem: '' };
    expect(await saveTemplate(own)).toEqual({ ...own, id: 9, updated_at: '2024-05-01T10:00:00Z' });
    expect(app.SaveTemplate).toHaveBeenCalledWith(own);

    const shared = { ...own, project_id: 7, path: '.gitlab/service_desk_desktop/templates/welcome.md' };
    app.SaveTemplate.mockRejectedValue('"Welcome" is the team\'s template from .gitlab/service_desk_desktop/templates/welcome.md: change it there');
    const err = await saveTemplate(shared).catch((e: unknown) => e);
    expect(app.SaveTemplate).toHaveBeenLastCalledWith(shared);
    expect((err as Error).message).toContain('change it there');
  });
});
