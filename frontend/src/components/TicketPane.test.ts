import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MailStore } from '../lib/mail.svelte';
import { SelectionStore } from '../lib/selection.svelte';
import { entry, FakeApi, mailEntry, NOW, ticket } from '../test/fixtures';
import { settle, ticketPaneProps } from '../test/render';
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

  it('tells what the keys do while nothing is selected', () => {
    const api = new FakeApi();
    render(TicketPane, ticketPaneProps(api, new SelectionStore(api)));
    const keys = screen.getByTestId('key-hints');
    expect([...keys.querySelectorAll('kbd')].map((k) => k.textContent)).toEqual(['j', 'k', 'Enter', 'r', 'i', '/', '?']);
  });

  it('shows the ticket\'s layout in grey while it loads, then the ticket', async () => {
    const api = new FakeApi();
    api.tickets.set(5, ticket(5, { title: 'Printer on fire' }));
    const selection = new SelectionStore(api);
    const opening = selection.open('7:5');
    render(TicketPane, ticketPaneProps(api, selection));
    const loading = screen.getByTestId('ticket-loading');
    expect(loading.getAttribute('aria-busy')).toBe('true');
    expect(screen.queryByTestId('empty-state')).toBeNull();
    await opening;
    await settle();
    expect(screen.queryByTestId('ticket-loading')).toBeNull();
    expect(screen.getByTestId('ticket-title').textContent).toBe('Printer on fire');
  });

  it('offers Retry when the ticket cannot be loaded, and shows it once it can', async () => {
    const api = new FakeApi();
    api.tickets.set(4, new Error('The local copy is busy.'));
    await openTicket(api, 4);
    expect(screen.getByTestId('ticket-error').textContent).toBe('The local copy is busy.');

    api.tickets.set(4, ticket(4, { title: 'Back again' }));
    await fireEvent.click(screen.getByTestId('ticket-retry'));
    await settle();
    expect(api.opened).toEqual([
      [7, 4],
      [7, 4],
    ]);
    expect(screen.getByTestId('ticket-title').textContent).toBe('Back again');
  });

  it('folds a run of system notes into one line that opens, and keeps each in the page', async () => {
    const api = new FakeApi();
    api.tickets.set(
      6,
      ticket(6, {
        thread: [
          entry({ kind: 'system', author_name: 'Bob Agent', body: 'assigned to @bob', created_at: '2024-06-15T10:01:00Z' }),
          entry({ kind: 'system', author_name: 'Bob Agent', body: 'added ~**billing** label', created_at: '2024-06-15T10:02:00Z' }),
          entry({ kind: 'system', author_name: 'Cy Lead', body: 'closed', created_at: '2024-06-15T10:03:00Z' }),
          entry({ kind: 'reply', body: 'Done.', created_at: '2024-06-15T10:04:00Z' }),
          entry({ kind: 'system', author_name: 'Cy Lead', body: 'reopened', created_at: '2024-06-15T10:05:00Z' }),
        ],
      }),
    );
    await openTicket(api, 6);

    const group = screen.getByTestId('system-group');
    const toggle = within(group).getByTestId('system-group-toggle');
    expect(toggle.textContent?.trim()).toBe('3 changes');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(group.textContent).toContain('Bob Agent and Cy Lead: assigned to @bob · added ~billing label · closed');
    const inside = within(group).getAllByTestId('thread-entry');
    expect(inside).toHaveLength(3);
    expect(inside[0]!.closest('ol')!.hidden).toBe(true);
    // Every entry is still counted, the lone system note stays a line of its own.
    expect(screen.getAllByTestId('thread-entry').map((e) => e.dataset['entryKind'])).toEqual([
      'description',
      'system',
      'system',
      'system',
      'reply',
      'system',
    ]);

    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(inside[0]!.closest('ol')!.hidden).toBe(false);
    expect(inside.map((e) => e.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringContaining('Bob Agent assigned to @bob'),
      expect.stringContaining('Bob Agent added ~billing label'),
      expect.stringContaining('Cy Lead closed'),
    ]);
  });

  it('hides quoted history behind "Show quoted text", as text with its line breaks', async () => {
    const api = new FakeApi();
    api.tickets.set(
      7,
      ticket(7, {
        thread: [
          entry({
            kind: 'customer',
            author_name: 'support-bot',
            body: 'Works now, thanks!\n\nOn Mon, 10 Jun 2024, Acme <s@acme.com> wrote:\n> Try <b>this</b>.\n> Bob',
          }),
        ],
      }),
    );
    await openTicket(api, 7);
    const note = screen.getAllByTestId('thread-entry').find((e) => e.dataset['entryKind'] === 'customer')!;
    expect(within(note).getByTestId('entry-body').textContent).toBe('Works now, thanks!');
    expect(within(note).queryByTestId('entry-quoted')).toBeNull();

    const toggle = within(note).getByTestId('quote-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(toggle);
    const quoted = within(note).getByTestId('entry-quoted');
    // Beside a rule instead of behind "> " marks.
    expect(quoted.textContent).toBe('On Mon, 10 Jun 2024, Acme <s@acme.com> wrote:\nTry <b>this</b>.\nBob');
    expect(quoted.querySelector('b')).toBeNull();
    expect(toggle.textContent).toContain('Hide quoted text');
    await fireEvent.click(toggle);
    expect(within(note).queryByTestId('entry-quoted')).toBeNull();
  });

  it('shows a mail\'s whole text in place of its body when the body was picked from inside it', async () => {
    const api = new FakeApi();
    const whole = '> Can you help?\nSure.\n> Price?\nFree.';
    api.tickets.set(8, ticket(8, { description: '', thread: [mailEntry({ body: 'Sure.\nFree.', quoted: whole })] }));
    await openTicket(api, 8);
    const body = screen.getByTestId('entry-body');
    expect(body.textContent).toBe('Sure.\nFree.');
    await fireEvent.click(screen.getByTestId('quote-toggle'));
    expect(screen.getByTestId('entry-body').textContent).toBe(whole);
    expect(screen.queryByTestId('entry-quoted')).toBeNull();
  });

  it('marks internal notes as seen by agents only', async () => {
    const api = new FakeApi();
    api.tickets.set(9, ticket(9, { thread: [entry({ kind: 'internal', body: 'Check with finance.' })] }));
    await openTicket(api, 9);
    const note = screen.getAllByTestId('thread-entry').find((e) => e.dataset['kind'] === 'internal')!;
    expect(note.classList.contains('entry--internal')).toBe(true);
    expect(note.textContent).toContain('Only agents see this');
  });
});
