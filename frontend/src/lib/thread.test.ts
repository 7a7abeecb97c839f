import { describe, expect, it } from 'vitest';
import { entry, mailEntry, ticket } from '../test/fixtures';
import { buildThread, kindInfo, opMarker } from './thread';

describe('buildThread', () => {
  it('puts the description first and the entries in time order', () => {
    const t = ticket(5, {
      customer: 'ann@example.com',
      created_at: '2024-06-10T08:00:00Z',
      description: 'My printer is on fire.',
      thread: [
        entry({ kind: 'reply', author: 'bob', author_name: 'Bob Agent', body: 'Have you tried water?', created_at: '2024-06-10T10:00:00Z' }),
        entry({ kind: 'system', author: 'bob', author_name: 'Bob Agent', body: 'added ~urgent label', created_at: '2024-06-10T09:00:00Z' }),
        entry({ kind: 'customer', author: 'ann@example.com', author_name: '', body: 'It is out now.', created_at: '2024-06-10T11:00:00Z' }),
        entry({ kind: 'internal', author: 'cy', author_name: 'Cy Lead', body: 'Escalate to facilities.', created_at: '2024-06-10T09:30:00Z' }),
      ],
    });
    const items = buildThread(t);
    expect(items.map((i) => i.body)).toEqual([
      'My printer is on fire.',
      'added ~urgent label',
      'Escalate to facilities.',
      'Have you tried water?',
      'It is out now.',
    ]);
    expect(items[0]).toMatchObject({ opening: true, tone: 'customer', author: 'ann@example.com', createdAt: '2024-06-10T08:00:00Z' });
    // An entry without an author name falls back to the author handle.
    expect(items[4]?.author).toBe('ann@example.com');
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
  });

  it('keeps entries with equal or unreadable times in their original order, unreadable last', () => {
    const t = ticket(1, {
      description: '',
      thread: [
        entry({ kind: 'reply', author: 'a', author_name: 'A', body: 'no time', created_at: '' }),
        entry({ kind: 'reply', author: 'a', author_name: 'A', body: 'first', created_at: '2024-06-10T10:00:00Z' }),
        entry({ kind: 'reply', author: 'a', author_name: 'A', body: 'second', created_at: '2024-06-10T10:00:00Z' }),
      ],
    });
    expect(buildThread(t).map((i) => i.body)).toEqual(['first', 'second', 'no time']);
  });

  it('does not show the description twice when the thread already starts with it', () => {
    const t = ticket(1, {
      description: 'Same words',
      thread: [entry({ kind: 'customer', author: 'c', author_name: 'C', body: 'Same words\n', created_at: '2024-06-10T10:00:00Z' })],
    });
    const items = buildThread(t);
    expect(items).toHaveLength(1);
    expect(items[0]?.opening).toBe(false);
  });

  it('skips an empty description and copes with a null thread from Go', () => {
    const t = ticket(1, { description: '  ', thread: null as unknown as [] });
    expect(buildThread(t)).toEqual([]);
  });
});

describe('buildThread with mail', () => {
  it('shows mail beside GitLab\'s entries, GitLab\'s copy first at the same time', () => {
    const t = ticket(240, {
      description: 'My card is declined.',
      thread: [
        mailEntry({ body: 'My card is declined.', created_at: '2024-06-10T08:00:00Z', has_html: true }),
        entry({ kind: 'customer', author: 'ann@example.com', author_name: '', body: 'My card is declined.', created_at: '2024-06-10T08:00:00Z' }),
        entry({ kind: 'system', body: 'assigned to @bob', created_at: '2024-06-10T09:00:00Z' }),
      ],
    });
    const items = buildThread(t);
    // The GitLab entry that repeats the description stands for it; the mail is beside it.
    expect(items.map((i) => i.kind)).toEqual(['customer', 'mail', 'system']);
    expect(items[1]?.mail).toEqual({
      messageId: 'abc123@mail.example.com',
      folder: 'INBOX',
      subject: 'Invoice 1234 is wrong',
      name: 'Ann Customer',
      address: 'ann@example.com',
      hasHtml: true,
      attachments: [],
    });
    expect(items[1]).toMatchObject({ tone: 'mail', label: 'Email', author: 'Ann Customer', opening: false });
    expect(items[0]?.mail).toBeNull();
  });

  it('keeps the description when only the mail repeats it', () => {
    const t = ticket(3, { description: 'Hello', thread: [mailEntry({ body: 'Hello' })] });
    const items = buildThread(t);
    expect(items.map((i) => [i.kind, i.opening])).toEqual([
      ['description', true],
      ['mail', false],
    ]);
  });

  it('shows a mail entry without a message id as a plain message', () => {
    const t = ticket(4, { description: '', thread: [mailEntry({ message_id: '' })] });
    const [item] = buildThread(t);
    expect(item).toMatchObject({ kind: 'mail', tone: 'mail', mail: null });
  });
});

describe('kindInfo', () => {
  it('styles each kind and folds only system notes', () => {
    expect(kindInfo('internal')).toEqual({ tone: 'internal', label: 'Internal note', folded: false });
    expect(kindInfo('reply')).toMatchObject({ tone: 'reply', folded: false });
    expect(kindInfo('customer')).toMatchObject({ tone: 'customer', folded: false });
    expect(kindInfo('mail')).toMatchObject({ tone: 'mail', label: 'Email', folded: false });
    expect(kindInfo('system')).toMatchObject({ tone: 'system', folded: true });
  });

  it('shows an unknown kind in full rather than hiding it', () => {
    expect(kindInfo('toString')).toEqual({ tone: 'other', label: 'Message', folded: false });
    expect(kindInfo('weird')).toMatchObject({ tone: 'other', folded: false });
  });
});

describe('outbox markers', () => {
  it('hides the marker of the notes the outbox posted and tells whose they are', () => {
    expect(opMarker('Refund sent.\n\n<!-- servicedesk:op=01HX9 -->')).toEqual({ body: 'Refund sent.', opId: '01HX9' });
    expect(opMarker('No marker <!-- other -->')).toEqual({ body: 'No marker <!-- other -->', opId: '' });
    const t = ticket(1, {
      thread: [
        entry({ kind: 'internal', body: 'Replied by e-mail (Message-ID `<a@b>`):\n\nHi\n\n<!-- servicedesk:op=op7 -->' }),
        mailEntry({ body: 'quoted <!-- servicedesk:op=op8 --> stays' }),
      ],
    });
    const items = buildThread(t).filter((i) => !i.opening);
    // The mail (10:05) comes before the note (10:30); only the note's marker counts.
    expect(items.map((i) => [i.opId, i.body])).toEqual([
      ['', 'quoted <!-- servicedesk:op=op8 --> stays'],
      ['op7', 'Replied by e-mail (Message-ID `<a@b>`):\n\nHi'],
    ]);
  });
});
