import { render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import App from './App.svelte';
import { AppState } from './lib/app-state.svelte';
import { FakeApi, overview, row, status, ticket, view } from './test/fixtures';

async function settle() {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
    await tick();
  }
}

describe('App', () => {
  it('loads views, list and status, and follows sync events', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({ status: status({ demo: true }) });
    const { unmount } = render(App, { app: new AppState(api) });
    await settle();

    const counts = screen.getAllByTestId('view-count').map((c) => c.dataset['count']);
    expect(counts).toEqual(['2', '1', '3', '4', '7']);
    expect(screen.getAllByTestId('ticket-row')).toHaveLength(3);
    expect(screen.getByTestId('status-demo').textContent).toBe('Demo');
    expect(screen.getByTestId('status-online').textContent).toContain('Online');

    api.emitSyncState(status({ demo: true, syncing: true, online: false, last_error: 'GitLab did not answer; retrying in 30 s.' }));
    await settle();
    expect(screen.getByTestId('status-sync').textContent?.trim()).toBe('Syncing…');
    expect(screen.getByTestId('status-online').textContent).toContain('Offline');
    expect(screen.getByTestId('status-error').textContent).toBe('GitLab did not answer; retrying in 30 s.');
    expect(screen.getByTestId('status-demo')).toBeTruthy();

    unmount();
    expect(api.listenerCount).toBe(0);
  });

  it('on tickets:changed reloads counts, list and the open ticket, keeping the selection', async () => {
    const api = new FakeApi();
    const state = new AppState(api);
    render(App, { app: state });
    await settle();
    await state.selection.open('7:2');
    await settle();
    expect(screen.getByTestId('ticket-title').textContent).toBe('Ticket number 2');

    api.overviewResult = overview({
      views: [view('needs_reply', 'Needs reply', 5), view('open', 'All open', 4)],
    });
    api.rows = [row(8), row(1), row(2), row(3)];
    api.tickets.set(2, ticket(2, { title: 'Renamed by the customer' }));
    api.emitTicketsChanged({ project_ids: [7], count: 2 });
    await settle();

    expect(screen.getAllByTestId('view-count').map((c) => c.dataset['count'])).toEqual(['5', '4']);
    expect(screen.getAllByTestId('ticket-row')).toHaveLength(4);
    expect(screen.getByTestId('ticket-title').textContent).toBe('Renamed by the customer');
    const selected = screen.getAllByTestId('ticket-row').filter((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected.map((r) => r.dataset['key'])).toEqual(['7:2']);
  });

  it("suggests the open ticket's project's labels and members in the triage pickers", async () => {
    const api = new FakeApi();
    const state = new AppState(api);
    render(App, { app: state });
    await settle();
    await state.selection.open('7:2');
    await settle();
    expect(state.suggestions.labels).toContain('billing');
    expect(state.suggestions.assignees).toContain('alex.morgan');
  });

  it('Sync now asks the backend once and shows progress', async () => {
    const api = new FakeApi();
    render(App, { app: new AppState(api) });
    await settle();
    const button = screen.getByTestId('sync-now') as HTMLButtonElement;
    button.click();
    button.click();
    await settle();
    expect(api.syncCalls).toBe(1);
    expect(button.disabled).toBe(true);
    expect(button.textContent?.trim()).toBe('Syncing…');
  });
});
