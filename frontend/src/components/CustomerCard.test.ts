import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../api/types';
import { SelectionStore } from '../lib/selection.svelte';
import { customer, FakeApi, NOW, row, ticket } from '../test/fixtures';
import { settle, ticketPaneProps } from '../test/render';
import TicketPane from './TicketPane.svelte';

const HANNAH = ticket(240, {
  title: "Can't update our credit card",
  customer: 'hannah@northwind-traders.com',
  created_at: '2024-06-15T08:50:00Z',
  first_response_at: '',
  customer_card: customer({
    name: 'Hannah Schmidt',
    email: 'hannah@northwind-traders.com',
    organisation: 'Northwind Traders',
    domain: 'northwind-traders.com',
    tickets: [
      row(238, { title: 'Refund request - charged twice', created_at: '2024-06-15T08:00:00Z' }),
      row(229, { title: 'No password reset mail', state: 'closed', created_at: '2024-06-12T08:00:00Z' }),
    ],
    tickets_total: 2,
  }),
});

async function show(t: Ticket, copy: (text: string) => Promise<void> = async () => {}) {
  const api = new FakeApi();
  api.tickets.set(t.iid, t);
  const selection = new SelectionStore(api);
  await selection.open(`7:${t.iid}`);
  render(TicketPane, { ...ticketPaneProps(api, selection), copy });
  await settle();
  return { api, selection };
}

const card = () => screen.getByTestId('customer-card');

async function expand(): Promise<void> {
  await fireEvent.click(screen.getByTestId('customer-toggle'));
  await settle();
}

describe('the customer panel', () => {
  it('sums up the customer and the ticket in one bar until opened', async () => {
    await show(HANNAH);
    const toggle = screen.getByTestId('customer-toggle');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.textContent).toContain('Hannah Schmidt');
    expect(screen.getByTestId('ticket-customer').textContent).toBe('hannah@northwind-traders.com');
    expect(toggle.textContent).toContain('Northwind Traders');
    // Opened 08:50, now 12:00; nobody answered yet.
    expect(toggle.textContent).toContain('Open for 3 h 10 min');
    expect(toggle.textContent).toContain('No response yet · waiting 3 h 10 min');
    expect(toggle.textContent).toContain('2 other tickets');
    expect(within(card()).queryByTestId('customer-ticket')).toBeNull();
  });

  it('shows the address, organisation, times and other tickets when opened', async () => {
    await show({ ...HANNAH, first_response_at: '2024-06-15T11:00:00Z' });
    await expand();
    expect(screen.getByTestId('customer-toggle').getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('customer-name').textContent).toBe('Hannah Schmidt');
    expect(screen.getByTestId('ticket-customer').textContent).toBe('hannah@northwind-traders.com');
    expect(screen.getByTestId('customer-org').textContent).toContain('Northwind Traders');
    expect(screen.getByTestId('customer-org').textContent).toContain('northwind-traders.com');
    expect(screen.getByTestId('customer-open-for').textContent?.trim()).toBe('Open for 3 h 10 min');
    expect(screen.getByTestId('customer-first-response').textContent?.trim()).toBe('First response: 2 h 10 min');
    expect(screen.getByTestId('customer-others-count').textContent).toBe('(2)');
    const others = screen.getAllByTestId('customer-ticket');
    expect(others.map((o) => o.dataset['key'])).toEqual(['7:238', '7:229']);
    expect(others[0]!.textContent).toContain('Refund request - charged twice');
    expect(others[0]!.textContent).toContain('#238');
    expect(others[0]!.textContent).toContain('Open');
    expect(others[1]!.textContent).toContain('Closed');
  });

  it('opens another ticket of the customer on a click', async () => {
    const { api, selection } = await show(HANNAH);
    api.tickets.set(238, ticket(238, { title: 'Refund request - charged twice' }));
    await expand();
    await fireEvent.click(screen.getAllByTestId('customer-ticket')[0]!);
    await settle();
    expect(api.opened.at(-1)).toEqual([7, 238]);
    expect(selection.openKey).toBe('7:238');
    expect(screen.getByTestId('ticket-title').textContent).toBe('Refund request - charged twice');
    // The panel stays open for the next ticket.
    expect(screen.getByTestId('customer-toggle').getAttribute('aria-expanded')).toBe('true');
  });

  it('copies the address and says so, or says why it could not', async () => {
    const copied: string[] = [];
    let fail = false;
    await show(HANNAH, async (text) => {
      if (fail) throw new Error("Couldn't copy to the clipboard.");
      copied.push(text);
    });
    await expand();
    await fireEvent.click(screen.getByTestId('customer-copy'));
    await settle();
    expect(copied).toEqual(['hannah@northwind-traders.com']);
    expect(screen.getByTestId('customer-copy-status').textContent?.trim()).toBe('Copied');

    fail = true;
    await fireEvent.click(screen.getByTestId('customer-copy'));
    await settle();
    expect(screen.getByTestId('customer-copy-status').textContent?.trim()).toBe("Couldn't copy to the clipboard.");
  });

  it('shows the service-level clocks when the project has a policy, judged again at now', async () => {
    const dueSoon = new Date(NOW + 20 * 60000).toISOString();
    const past = new Date(NOW - 5 * 60000).toISOString();
    await show({
      ...HANNAH,
      ticket_sla: {
        state: 'soon',
        calendar: 'Europe/Berlin, Mon-Fri 09:00-17:30',
        first_response: { state: 'soon', target_s: 4 * 3600, elapsed_s: 3.5 * 3600, left_s: 1800, late_s: 0, soon_at: past, due_at: past, achieved_at: '' },
        resolution: { state: 'ok', target_s: 40 * 3600, elapsed_s: 3600, left_s: 39 * 3600, late_s: 0, soon_at: '', due_at: dueSoon, achieved_at: '' },
      },
    });
    // Collapsed, the bar says the clock due first: first response, late by now.
    expect(within(card()).getByTestId('customer-sla').textContent).toBe('Reply 5m late');
    expect(within(card()).getByTestId('customer-sla').dataset['state']).toBe('breached');
    await expand();
    const clocks = within(card()).getAllByTestId('ticket-sla-clock');
    expect(clocks.map((c) => c.dataset['state'])).toEqual(['breached', 'ok']);
    expect(clocks[0]!.textContent).toContain('First response');
    expect(clocks[1]!.textContent?.replace(/\s+/g, ' ')).toMatch(/On track due .*, in 20 min/);
    expect(clocks[0]!.textContent?.replace(/\s+/g, ' ')).toMatch(/Breached due .*, 5 min ago/);
    expect(within(card()).getByTestId('ticket-sla').title).toBe('Business hours: Europe/Berlin, Mon-Fri 09:00-17:30');
  });

  it('has no service-level section without a policy', async () => {
    await show(HANNAH);
    await expand();
    expect(within(card()).queryByTestId('ticket-sla')).toBeNull();
  });

  it('says how many other tickets there are beyond the ones listed', async () => {
    await show({ ...HANNAH, customer_card: { ...HANNAH.customer_card, tickets_total: 23 } });
    await expand();
    expect(screen.getByTestId('customer-others-count').textContent).toBe('(23)');
    expect(card().textContent).toContain('The 2 newest of 23.');
  });

  it('copes with a ticket without a known customer', async () => {
    await show(ticket(3, { customer: '', customer_card: customer() }));
    expect(screen.getByTestId('ticket-customer').textContent).toBe('Unknown customer');
    await expand();
    expect(screen.queryByTestId('customer-copy')).toBeNull();
    expect(card().textContent).toContain('No e-mail address on this ticket');
    expect(screen.getByTestId('customer-others-count').textContent).toBe('(0)');
  });

  it('times a closed ticket to its closing, and does not count waiting on it', async () => {
    await show({ ...HANNAH, state: 'closed', closed_at: '2024-06-17T09:00:00Z' });
    await expand();
    expect(screen.getByTestId('customer-open-for').textContent?.trim()).toBe('Closed after 2 d');
    expect(screen.getByTestId('customer-first-response').textContent?.trim()).toBe('Closed without a public response');
  });
});
