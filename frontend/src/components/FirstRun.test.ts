import { describe, expect, it } from 'vitest';
import { FakeApi, overview, status } from '../test/fixtures';
import { byTestId, click, renderApp, settle, type } from '../test/render';

function firstRunApi(over: Parameters<typeof status>[0] = {}): FakeApi {
  const api = new FakeApi();
  api.overviewResult = overview({ projects: [], status: status({ has_account: false, last_sync_at: '', ...over }) });
  api.rows = [];
  return api;
}

describe('first run', () => {
  it('shows the welcome panel with both actions instead of the ticket list', async () => {
    await renderApp(firstRunApi());
    const panel = byTestId('first-run');
    expect(panel.textContent).toContain('Try the demo');
    expect(panel.textContent).toContain('Nothing leaves this computer');
    expect(panel.textContent).toContain('Connect to GitLab');
    expect(panel.textContent).toContain('api');
    expect(panel.textContent).toContain('keychain');
    expect(document.querySelector('[data-testid="list-pane"]')).toBeNull();
    expect(byTestId<HTMLButtonElement>('first-run-demo').disabled).toBe(false);
  });

  it('offers no demo when the window cannot switch to it', async () => {
    await renderApp(firstRunApi({ demo_available: false }));
    expect(document.querySelector('[data-testid="first-run-demo"]')).toBeNull();
    expect(byTestId('first-run-connect')).toBeTruthy();
  });

  it('Try the demo calls TryDemo, shows progress, then the demo tickets', async () => {
    const api = firstRunApi();
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    await renderApp(api);
    await click('first-run-demo');
    expect(api.demoCalls).toBe(1);
    expect(byTestId<HTMLButtonElement>('first-run-demo').disabled).toBe(true);
    expect(byTestId('first-run-demo-progress').textContent).toContain('Starting');

    api.overviewResult = overview({ status: status({ demo: true }) });
    api.rows = new FakeApi().rows;
    api.gate = null;
    open();
    await settle();
    expect(document.querySelector('[data-testid="first-run"]')).toBeNull();
    expect(document.querySelectorAll('[data-testid="ticket-row"]')).toHaveLength(3);
    expect(byTestId('status-demo')).toBeTruthy();
  });

  it('shows the sentence TryDemo was rejected with', async () => {
    const api = firstRunApi();
    api.demoResult = new Error('The demo could not start: port 34115 is in use.');
    await renderApp(api);
    await click('first-run-demo');
    expect(byTestId('first-run-demo-error').textContent).toBe('The demo could not start: port 34115 is in use.');
    expect(byTestId<HTMLButtonElement>('first-run-demo').disabled).toBe(false);
  });

  it('Connect to GitLab opens the GitLab form, and a save replaces the panel with the tickets', async () => {
    const api = firstRunApi();
    await renderApp(api);
    await click('first-run-connect');
    const form = byTestId('account-form');
    expect(form.dataset['kind']).toBe('gitlab');
    expect(byTestId<HTMLInputElement>('field-url').value).toBe('https://gitlab.com');
    expect(document.activeElement).toBe(byTestId('field-url'));

    await type('field-project', 'acme/support');
    await type('field-token', 'glpat-first-run-secret');
    api.overviewResult = overview();
    api.rows = new FakeApi().rows;
    await click('form-save');
    expect(api.formCalls.map((c) => c.method)).toEqual(['saveGitLab']);
    expect(document.querySelector('[data-testid="settings-modal"]')).toBeNull();
    expect(document.querySelector('[data-testid="first-run"]')).toBeNull();
    expect(document.querySelectorAll('[data-testid="ticket-row"]')).toHaveLength(3);
  });
});
