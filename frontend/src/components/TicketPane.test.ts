import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MailStore } from '../lib/mail.svelte';
import { SelectionStore } from '../lib/selection.svelte';
import { entry, FakeApi, NOW, ticket } from '../test/fixtures';
import { ticketPaneProps } from '../test/render';
import TicketPane from './TicketPane.svelte';

async function openTicket(api: FakeApi, iid: number) {
  const selection = new SelectionStore(api);
  await selection.open(`7:${iid}`);
  render(TicketPane, ticketPaneProps(api, selection));
  return selection;
}

describe('TicketPane', () => {
  it('shows the header and the conversation with each kind styled', async () => {
    const api = new FakeApi();
    api.tickets.set(
      9,
      ticket(9, {
        title: 'Refund for order 1234',
        customer: 'ann@example.com',
        labels: ['billing', 'urgent'],
        assignees: ['bob'],
        state: 'closed',
        description: 'Please refund me.',
        thread: [
          entry({ kind: 'internal', author: 'cy', author_name: 'Cy Lead', body: 'Check with finance.', created_at: '2024-06-15T10:30:00Z' }),
          entry({ kind: 'system', author: 'cy', author_name: 'Cy Lead', body: 'closed', created_at: '2024-06-15T11:30:00Z' }),
          entry({ kind: 'reply', author: 'bob', author_name: 'Bob Agent', body: 'Refund sent.', created_at: '2024-06-15T11:00:00Z' }),
        ],
      }),
    );
    await openTicket(api, 9);

    expect(screen.getByTestId('ticket-title').textContent).toBe('Refund for order 1234');
    expect(screen.getByTestId('ticket-state').textContent?.trim()).toBe('Closed');
    expect(screen.getByTestId('ticket-customer').textContent).toBe('ann@example.com');
    expect(screen.getByText('billing')).toBeTruthy();
    // web_url is shown as text, not as a link the page could follow.
    const url = screen.getByTestId('ticket-url');
    expect(url.textContent).toBe('https://gitlab.example.com/acme/support/-/issues/9');
    expect(url.closest('a')).toBeNull();

    const entries = screen.getAllByTestId('thread-entry');
    expect(entries.map((e) => e.dataset['kind'])).toEqual(['customer', 'internal', 'reply', 'system']);
    // The raw kind, so tests can tell mail from GitLab's entries.
    expect(entries.map((e) => e.dataset['entryKind'])).toEqual(['description', 'internal', 'reply', 'system']);
    const internal = entries[1]!;
    expect(internal.classList.contains('entry--internal')).toBe(true);
    expect(within(internal).getByTestId('entry-tag').textContent).toBe('Internal note');
    // The system note is one small line, without a body block.
    expect(within(entries[3]!).queryByTestId('entry-body')).toBeNull();
    expect(entries[3]!.textContent).toContain('closed');
  });

  it('renders untrusted bodies as text, never as HTML', async () => {
    const api = new FakeApi();
    const hostile = '<img src=x onerror="alert(1)"> **bold** <script>alert(2)</script>\nline two';
    api.tickets.set(3, ticket(3, { description: hostile }));
    await openTicket(api, 3);

    const body = screen.getByTestId('entry-body');
    expect(body.textContent).toBe(hostile);
    expect(body.querySelector('img, script, strong')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
  });

  it('shows the error sentence when the ticket cannot be loaded', async () => {
    const api = new FakeApi();
    api.tickets.set(4, new Error('Ticket #4 is no longer in the local copy.'));
    await openTicket(api, 4);

    const empty = screen.getByTestId('empty-state');
    expect(empty.dataset['kind']).toBe('ticket-error');
    expect(empty.textContent).toContain('Ticket #4 is no longer in the local copy.');
  });

  it('says nothing is selected before a ticket is opened', () => {
    const api = new FakeApi();
    render(TicketPane, ticketPaneProps(api, new SelectionStore(api)));
    expect(screen.getByTestId('empty-state').dataset['kind']).toBe('nothing-selected');
  });
});
