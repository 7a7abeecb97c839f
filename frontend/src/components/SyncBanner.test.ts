import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { FakeApi, overview, row, status } from '../test/fixtures';
import { byTestId, click, listPaneProps, renderApp, settle } from '../test/render';
import ListPane from './ListPane.svelte';

const SENTENCES = {
  auth: 'GitLab refused the token: it is wrong, expired or revoked. Replace it in Accounts.',
  forbidden: 'The token may not read acme/support: give it the api scope in Accounts.',
  'not-found': 'GitLab has no project acme/support: it was moved or deleted. Check it in Accounts.',
  offline: 'GitLab cannot be reached; retrying in 30 s.',
  other: 'GitLab answered with an error (502). Try again.',
} as const;

async function setup(kind: string, sentence: string) {
  const api = new FakeApi();
  api.rows = Array.from({ length: 40 }, (_, i) => row(i + 1));
  api.overviewResult = overview({ status: status({ last_error: sentence, error_kind: kind }) });
  const props = listPaneProps(api);
  const ov = props.overview;
  await Promise.all([ov.load(), props.tickets.load()]);
  const onaccounts = vi.fn();
  render(ListPane, { ...props, onaccounts });
  await tick();
  return { api, overview: ov, onaccounts };
}

const banner = () => screen.queryByTestId('sync-banner');

describe('sync error banner', () => {
  it.each(['auth', 'forbidden', 'not-found'] as const)('%s offers Open Accounts, which opens the accounts', async (kind) => {
    const { api, onaccounts } = await setup(kind, SENTENCES[kind]);
    const b = banner()!;
    expect(b.getAttribute('role')).toBe('alert');
    expect(b.dataset['kind']).toBe(kind);
    expect(b.textContent).toContain(SENTENCES[kind]);
    expect(b.classList.contains('error')).toBe(true);
    expect(b.classList.contains('offline')).toBe(false);
    expect(screen.queryByTestId('sync-banner-retry')).toBeNull();

    const open = screen.getByTestId('sync-banner-accounts');
    expect(open.textContent?.trim()).toBe('Open Accounts');
    await fireEvent.click(open);
    expect(onaccounts).toHaveBeenCalledTimes(1);
    expect(api.syncCalls).toBe(0);
  });

  it.each(['offline', 'other'] as const)('%s offers Retry, which syncs now', async (kind) => {
    const { api, onaccounts } = await setup(kind, SENTENCES[kind]);
    expect(banner()!.dataset['kind']).toBe(kind);
    expect(screen.queryByTestId('sync-banner-accounts')).toBeNull();

    const retry = screen.getByTestId('sync-banner-retry') as HTMLButtonElement;
    expect(retry.textContent?.trim()).toBe('Retry');
    await fireEvent.click(retry);
    await tick();
    expect(api.syncCalls).toBe(1);
    expect(onaccounts).not.toHaveBeenCalled();
    // Until the backend reports, a second click does not queue another sync.
    expect(retry.disabled).toBe(true);
  });

  it('styles offline calmly and says the app works offline', async () => {
    await setup('offline', SENTENCES.offline);
    const b = banner()!;
    expect(b.classList.contains('offline')).toBe(true);
    expect(b.classList.contains('error')).toBe(false);
    expect(byTestId('sync-banner-text').textContent?.trim()).toBe(`Working offline — ${SENTENCES.offline}`);
  });

  it('treats an error without a kind (an older backend) as other', async () => {
    await setup('', 'Sync failed: database is locked.');
    expect(banner()!.dataset['kind']).toBe('other');
    expect(screen.getByTestId('sync-banner-retry')).toBeTruthy();
  });

  it('is absent without an error', async () => {
    await setup('', '');
    expect(banner()).toBeNull();
  });

  it('dismiss hides it until the error sentence changes', async () => {
    const { overview: ov } = await setup('offline', SENTENCES.offline);
    await fireEvent.click(screen.getByTestId('sync-banner-dismiss'));
    expect(banner()).toBeNull();

    // The same sentence again (the app retrying by itself) stays dismissed.
    ov.setStatus(status({ syncing: true, last_error: SENTENCES.offline, error_kind: 'offline' }));
    await tick();
    ov.setStatus(status({ last_error: SENTENCES.offline, error_kind: 'offline' }));
    await tick();
    expect(banner()).toBeNull();

    // A new sentence shows again, with the action of its kind.
    ov.setStatus(status({ last_error: SENTENCES.auth, error_kind: 'auth' }));
    await tick();
    expect(banner()!.dataset['kind']).toBe('auth');
    expect(screen.getByTestId('sync-banner-accounts')).toBeTruthy();
  });

  it('after a sync that worked, the same error shows again', async () => {
    const { overview: ov } = await setup('other', SENTENCES.other);
    await fireEvent.click(screen.getByTestId('sync-banner-dismiss'));
    ov.setStatus(status({ last_error: '' }));
    await tick();
    expect(banner()).toBeNull();
    ov.setStatus(status({ last_error: SENTENCES.other, error_kind: 'other' }));
    await tick();
    expect(banner()).not.toBeNull();
  });

  it('appears above the scroll box: rows keep their nodes, order and scroll position', async () => {
    const { overview: ov } = await setup('', '');
    // The scroll box of the virtual list, and the pane's body around it.
    const scroller = screen.getByTestId('ticket-list').parentElement!;
    const body = scroller.parentElement!;
    scroller.scrollTop = 600;
    const before = screen.getAllByTestId('ticket-row');
    const header = screen.getByTestId('list-pane').querySelector('header')!;

    ov.setStatus(status({ last_error: SENTENCES.auth, error_kind: 'auth' }));
    await tick();
    const b = banner()!;
    // Between the header and the scroll box, outside the list.
    expect(b.previousElementSibling).toBe(header);
    expect(b.nextElementSibling).toBe(body);
    expect(body.contains(b)).toBe(false);
    expect(getComputedStyle(b).position).not.toBe('absolute');
    // The rows are the same elements in the same order, scrolled as before:
    // they move down by the banner's height at most.
    const after = screen.getAllByTestId('ticket-row');
    expect(after).toHaveLength(before.length);
    after.forEach((r, i) => expect(r).toBe(before[i]));
    expect(scroller.scrollTop).toBe(600);

    // Dismissing takes it out the same way.
    await fireEvent.click(screen.getByTestId('sync-banner-dismiss'));
    expect(banner()).toBeNull();
    screen.getAllByTestId('ticket-row').forEach((r, i) => expect(r).toBe(before[i]));
    expect(scroller.scrollTop).toBe(600);
  });
});

describe('sync error banner in the app', () => {
  it('Open Accounts opens the accounts window', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({ status: status({ last_error: SENTENCES.auth, error_kind: 'auth' }) });
    const { state, unmount } = await renderApp(api);
    expect(state.settings.isOpen).toBe(false);
    await click('sync-banner-accounts');
    expect(state.settings.isOpen).toBe(true);
    expect(byTestId('settings-modal')).toBeTruthy();
    unmount();
  });

  it('follows sync:state events, and the status bar keeps its short status', async () => {
    const api = new FakeApi();
    const { unmount } = await renderApp(api);
    expect(banner()).toBeNull();

    api.emitSyncState(status({ online: false, last_error: SENTENCES.offline, error_kind: 'offline' }));
    await settle();
    expect(banner()!.dataset['kind']).toBe('offline');
    expect(byTestId('status-online').textContent).toContain('Offline');
    expect(byTestId('status-error').textContent).toBe(SENTENCES.offline);

    await click('sync-banner-retry');
    expect(api.syncCalls).toBe(1);

    api.emitSyncState(status({ last_error: '' }));
    await settle();
    expect(banner()).toBeNull();
    unmount();
  });
});
