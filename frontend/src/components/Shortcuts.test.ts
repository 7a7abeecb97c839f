import { fireEvent, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { FakeApi, overview, row, ticket } from '../test/fixtures';
import { byTestId, renderApp, settle } from '../test/render';

async function press(key: string, target: Element = document.body, over: Partial<KeyboardEventInit> = {}) {
  await fireEvent.keyDown(target, { key, ...over });
  await settle();
}

const current = () => document.querySelector('[data-testid="sidebar"] [aria-current="true"]')?.getAttribute('data-testid');

describe('g then a letter', () => {
  it('jumps to the views and to the outbox', async () => {
    const api = new FakeApi();
    const { state } = await renderApp(api);
    await press('g');
    await press('n');
    expect(state.tickets.view).toBe('needs_reply');
    expect(api.queries.at(-1)?.view).toBe('needs_reply');
    expect(current()).toBe('view-needs_reply');

    await press('g');
    await press('b');
    expect(state.pane).toBe('outbox');
    expect(current()).toBe('view-outbox');

    await press('g');
    await press('c');
    expect(state.pane).toBe('tickets');
    expect(current()).toBe('view-closed');
  });

  it('shows what may follow a g, until the jump', async () => {
    await renderApp(new FakeApi());
    expect(screen.queryByTestId('go-hint')).toBeNull();
    await press('g');
    expect(byTestId('go-hint').textContent?.replace(/\s+/g, ' ')).toContain('n Needs reply');
    await press('u');
    expect(screen.queryByTestId('go-hint')).toBeNull();
  });

  it('g a goes to All and leaves the open ticket\'s assignee alone', async () => {
    const api = new FakeApi();
    api.rows = [row(1, { assignees: ['bob'] })];
    api.tickets.set(1, ticket(1, { assignees: ['bob'] }));
    const { state } = await renderApp(api);
    await state.selection.open('7:1');
    await settle();

    await press('g');
    await press('a');
    expect(state.tickets.view).toBe('all');
    expect(screen.queryByTestId('triage-assign-input')).toBeNull();

    // Alone, a still changes the assignee.
    await press('a');
    expect(document.activeElement).toBe(byTestId('triage-assign-input'));
  });

  it('forgets a g after 1.5 seconds', async () => {
    const api = new FakeApi();
    const { state } = await renderApp(api);
    const now = vi.spyOn(Date, 'now').mockReturnValue(10_000);
    await press('g');
    now.mockReturnValue(11_501);
    await press('c');
    expect(state.tickets.view).not.toBe('closed');
  });

  it('does nothing for letters typed into a field, or for a view the Go side does not list', async () => {
    const api = new FakeApi();
    api.overviewResult = overview();
    const { state } = await renderApp(api);
    const before = state.tickets.view;
    const search = document.querySelector('input')!;
    await press('g', search);
    await press('c', search);
    expect(state.tickets.view).toBe(before);

    // The fixture's overview has no "Mail without a ticket".
    const queries = api.queries.length;
    await press('g');
    await press('x');
    expect(state.tickets.view).toBe(before);
    expect(api.queries.length).toBe(queries);
  });
});

describe('the shortcuts dialog', () => {
  it('opens with ?, lists the shortcuts, and closes with Esc', async () => {
    const api = new FakeApi();
    const { state } = await renderApp(api);
    const before = state.tickets.view;
    await press('?', document.body, { shiftKey: true });

    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const lines = within(dialog).getAllByTestId('shortcut').map((l) => l.textContent?.replace(/\s+/g, ' ').trim());
    expect(lines).toContain('g then n Needs reply');
    expect(lines).toContain('g then b Outbox');
    expect(lines).toContain('j or ↓ Next ticket');
    expect(lines).toContain('Ctrl + Enter Send');
    expect(lines).toContain('? Show these shortcuts');
    // The page behind is inert (Svelte sets the property), and keys typed in the dialog stay there.
    expect(document.querySelector<HTMLElement>('.app')?.inert).toBe(true);
    await press('g', dialog);
    await press('c', dialog);
    expect(state.tickets.view).toBe(before);

    await press('Escape', dialog);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.querySelector<HTMLElement>('.app')?.inert).toBe(false);
  });
});
