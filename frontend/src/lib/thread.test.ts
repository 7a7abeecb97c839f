import { describe, expect, it } from 'vitest';
import { entry, mailEntry, ticket } from '../test/fixtures';
import { buildThread, changesSummary, groupThread, kindInfo, opMarker, quotedRest, splitTrailingQuote, systemText, unquote, type ThreadItem } from './thread';

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

describe('splitTrailingQuote', () => {
  it('folds the quoted history that ends a relayed reply, with its attribution', () => {
    const text = [
      'Thanks, that worked!',
      '',
      'Ann',
      '',
      'On Tue, 3 Jun 2024 at 10:00, Acme Support <support@acme.com>',
      'wrote:',
      '> Hi Ann,',
      '>',
      '> please try again.',
      '',
    ].join('\n');
    expect(splitTrailingQuote(text)).toEqual({
      body: 'Thanks, that worked!\n\nAnn',
      quote: 'On Tue, 3 Jun 2024 at 10:00, Acme Support <support@acme.com>\nwrote:\n> Hi Ann,\n>\n> please try again.',
    });
  });

  it('folds a bare block of quoted lines, blank lines inside it included', () => {
    expect(splitTrailingQuote('See below.\r\n\r\n> one\r\n\r\n> two\r\n')).toEqual({ body: 'See below.', quote: '> one\n\n> two' });
  });

  it('leaves a text alone when its quote is not at the end, is all there is, or is code', () => {
    const cases = [
      '> You wrote this\n\nand I answer below it.',
      '> only a quote\n> nothing else',
      'No quote at all',
      '',
      'Log:\n```\n> prompt\n> output',
    ];
    for (const text of cases) expect(splitTrailingQuote(text)).toEqual({ body: text, quote: '' });
  });

  it('keeps the paragraph above the quote when it is no attribution', () => {
    expect(splitTrailingQuote('On Monday it broke again.\n> the old reply')).toEqual({
      body: 'On Monday it broke again.',
      quote: '> the old reply',
    });
  });
});

describe('quotedRest', () => {
  it('is what the whole mail adds after the body when the body is where it starts', () => {
    const whole = 'Found it, thanks!\n\nEthan\n\nOn Fri, 2 Oct 2026, Acme Support <support@acme.com> wrote:\n> Hi, thanks.\n';
    expect(quotedRest('Found it, thanks!\n\nEthan', whole)).toEqual({
      text: 'On Fri, 2 Oct 2026, Acme Support <support@acme.com> wrote:\n> Hi, thanks.',
      whole: false,
    });
  });

  it('is the whole text when the body was picked from inside it', () => {
    const whole = '> Can you help?\nSure, here is how.\n> And the price?\nIt is free.';
    expect(quotedRest('Sure, here is how.\nIt is free.', whole)).toEqual({ text: whole, whole: true });
  });

  it('is null when the whole text adds nothing', () => {
    expect(quotedRest('Hello', '')).toBeNull();
    expect(quotedRest('Hello\n', '  Hello\r\n')).toBeNull();
  });
});

describe('buildThread and quoted history', () => {
  it('hides the trailing quote of notes and the description, and the history of mail', () => {
    const t = ticket(8, {
      description: 'It broke.\n\n> earlier mail',
      thread: [
        entry({ kind: 'customer', body: 'Works now.\n\nOn Mon, 1 Jan 2024, Bob <b@x.com> wrote:\n> Try this.' }),
        entry({ kind: 'system', body: 'changed title from **{-old-}** to **{+new+}**\n> not a quote' }),
        mailEntry({ body: 'Thanks', quoted: 'Thanks\n\n> Our answer' }),
      ],
    });
    const items = buildThread(t);
    expect(items.map((i) => [i.kind, i.body, i.quote])).toEqual([
      ['description', 'It broke.', { text: '> earlier mail', whole: false }],
      ['mail', 'Thanks', { text: '> Our answer', whole: false }],
      ['customer', 'Works now.', { text: 'On Mon, 1 Jan 2024, Bob <b@x.com> wrote:\n> Try this.', whole: false }],
      // System notes are never cut.
      ['system', 'changed title from **{-old-}** to **{+new+}**\n> not a quote', null],
    ]);
  });

  it('names the customer by their name when the panel knows it', () => {
    const t = ticket(2, {
      customer: 'ann@example.com',
      customer_card: { ...ticket(2).customer_card, name: 'Ann Lee' },
      thread: [
        entry({ kind: 'customer', author: 'support-bot', author_name: 'ANN@example.com', body: 'More' }),
        entry({ kind: 'customer', author: 'support-bot', author_name: 'GitLab Support Bot', body: 'Other' }),
        entry({ kind: 'reply', author: 'bob', author_name: 'Bob', body: 'Hi' }),
      ],
    });
    expect(buildThread(t).map((i) => i.author)).toEqual(['Ann Lee', 'Ann Lee', 'GitLab Support Bot', 'Bob']);
  });
});

describe('system notes', () => {
  it('are one line of text without GitLab\'s emphasis and diff marks', () => {
    expect(systemText('changed title from **{-Old title-}** to **{+New title+}**')).toBe('changed title from Old title to New title');
    expect(systemText('changed the description\n\n  twice')).toBe('changed the description twice');
    expect(systemText('added ~"how-to" label')).toBe('added ~"how-to" label');
  });

  function sys(author: string, body: string, at: string): ThreadItem {
    return buildThread(ticket(1, { description: '', thread: [entry({ kind: 'system', author_name: author, body, created_at: at })] }))[0]!;
  }

  it('group runs of two or more into one block; single ones and other entries stay', () => {
    const t = ticket(1, {
      description: 'Help',
      thread: [
        entry({ kind: 'system', body: 'assigned to @bob', created_at: '2024-06-15T10:01:00Z' }),
        entry({ kind: 'reply', body: 'On it.', created_at: '2024-06-15T10:02:00Z' }),
        entry({ kind: 'system', body: 'added ~bug label', created_at: '2024-06-15T10:03:00Z' }),
        entry({ kind: 'system', body: 'closed', created_at: '2024-06-15T10:04:00Z' }),
        entry({ kind: 'system', body: 'reopened', created_at: '2024-06-15T10:05:00Z' }),
      ],
    });
    const blocks = groupThread(buildThread(t));
    expect(blocks.map((b) => (b.type === 'entry' ? b.item.body : b.items.map((i) => i.body)))).toEqual([
      'Help',
      'assigned to @bob',
      'On it.',
      ['added ~bug label', 'closed', 'reopened'],
    ]);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(blocks.length);
    // A run keeps its key when a change joins it.
    const longer = groupThread([...buildThread(t), sys('Cy', 'locked', '2024-06-15T10:06:00Z')]);
    expect(longer[3]?.key).toBe(blocks[3]?.key);
  });

  it('summarise who made a run of changes', () => {
    expect(changesSummary([sys('Bob', 'a', ''), sys('Bob', 'b', '')])).toBe('Bob');
    expect(changesSummary([sys('Bob', 'a', ''), sys('Cy', 'b', '')])).toBe('Bob and Cy');
    expect(changesSummary([sys('Bob', 'a', ''), sys('Cy', 'b', ''), sys('Di', 'c', ''), sys('Ed', 'd', '')])).toBe('Bob, Cy and 2 others');
  });
});

describe('unquote', () => {
  it('takes one level of quote marks off and leaves other lines alone', () => {
    expect(unquote('On Mon, Bob wrote:\n> Hi,\n>\n>> older\n  > indented\nplain')).toBe('On Mon, Bob wrote:\nHi,\n\n> older\nindented\nplain');
  });
});
