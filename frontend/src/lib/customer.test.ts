import { describe, expect, it } from 'vitest';
import { customer, NOW, ticket } from '../test/fixtures';
import { customerName, firstResponse, initials, openFor } from './customer';

const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

describe('openFor', () => {
  it('counts an open ticket from its creation to now', () => {
    expect(openFor(ticket(1, { created_at: ago(3 * D + 2 * H) }), NOW)).toBe('Open for 3 d');
    expect(openFor(ticket(1, { created_at: ago(5 * MIN) }), NOW)).toBe('Open for 5 min');
  });

  it('counts a closed ticket from its creation to its closing', () => {
    const t = ticket(1, { state: 'closed', created_at: '2024-06-01T08:00:00Z', closed_at: '2024-06-01T10:10:00Z' });
    expect(openFor(t, NOW)).toBe('Closed after 2 h 10 min');
    expect(openFor({ ...t, closed_at: '' }, NOW)).toBe('Closed');
  });

  it('does not invent a duration from an unreadable time', () => {
    expect(openFor(ticket(1, { created_at: '' }), NOW)).toBe('Open');
  });
});

describe('firstResponse', () => {
  it('is the time from the ticket to our first public answer', () => {
    const t = ticket(1, { created_at: '2024-06-15T08:00:00Z', first_response_at: '2024-06-15T10:10:00Z' });
    expect(firstResponse(t, NOW)).toEqual({ text: 'First response: 2 h 10 min', waiting: false });
  });

  it('says how long the customer has been waiting while there is none', () => {
    expect(firstResponse(ticket(1, { created_at: ago(5 * H), first_response_at: '' }), NOW)).toEqual({
      text: 'No response yet · waiting 5 h',
      waiting: true,
    });
  });

  it('does not count waiting on a ticket closed without an answer', () => {
    expect(firstResponse(ticket(1, { state: 'closed', created_at: ago(5 * H) }), NOW)).toEqual({
      text: 'Closed without a public response',
      waiting: false,
    });
  });
});

describe('naming the customer', () => {
  it('prefers the name, then the address, then the ticket\'s customer', () => {
    expect(customerName(customer({ name: ' Ann Lee ', email: 'ann@x.com' }), 'ann@x.com')).toBe('Ann Lee');
    expect(customerName(customer({ email: 'ann@x.com' }), 'other@x.com')).toBe('ann@x.com');
    expect(customerName(customer(), 'raw@x.com')).toBe('raw@x.com');
    expect(customerName(customer(), '')).toBe('Unknown customer');
  });

  it('gives initials for the avatar', () => {
    expect(initials('Hannah Schmidt')).toBe('HS');
    expect(initials('José María García')).toBe('JG');
    expect(initials('ann.lee@example.com')).toBe('A');
    expect(initials('Ølaf')).toBe('Ø');
    expect(initials('')).toBe('?');
  });
});
