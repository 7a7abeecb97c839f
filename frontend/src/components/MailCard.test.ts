import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../api/types';
import { MailStore } from '../lib/mail.svelte';
import { MAIL_CSP, MAIL_CSP_REMOTE_IMAGES } from '../lib/mail-format';
import { SelectionStore } from '../lib/selection.svelte';
import { entry, FakeApi, mailEntry, NOW, ticket } from '../test/fixtures';
import { settle, ticketPaneProps } from '../test/render';
import TicketPane from './TicketPane.svelte';

const ID = 'abc123@mail.example.com';

async function show(api: FakeApi, t: Ticket) {
  api.tickets.set(t.iid, t);
  const selection = new SelectionStore(api);
  await selection.open(`7:${t.iid}`);
  const mail = new MailStore(api);
  render(TicketPane, ticketPaneProps(api, selection, mail));
  await settle();
  return mail;
}

function mailCard(): HTMLElement {
  const cards = screen.getAllByTestId('thread-entry').filter((el) => el.dataset['entryKind'] === 'mail');
  expect(cards).toHaveLength(1);
  return cards[0]!;
}

describe('a mail in the thread', () => {
  it('is a card of its own: Email tag, folder, subject, sender, time, plain text body', async () => {
    const api = new FakeApi();
    await show(
      api,
      ticket(5, {
        description: 'My invoice is wrong (GitLab copy).',
        thread: [
          mailEntry({ body: 'My invoice is wrong.\n\nAnn', created_at: '2024-06-15T10:05:00Z' }),
          entry({ kind: 'reply', body: 'Looking into it.', created_at: '2024-06-15T11:00:00Z' }),
          mailEntry({
            message_id: 'reply-1@acme.com',
            folder: 'Sent',
            author: 'support@acme.com',
            author_name: '',
            subject: 'Re: Invoice 1234 is wrong (#5)',
            body: 'Looking into it.',
            created_at: '2024-06-15T11:00:00Z',
          }),
        ],
      }),
    );

    const entries = screen.getAllByTestId('thread-entry');
    expect(entries.map((e) => e.dataset['entryKind'])).toEqual(['description', 'mail', 'reply', 'mail']);
    const [, received, , sent] = entries as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];

    expect(received.dataset['kind']).toBe('mail');
    expect(received.dataset['messageId']).toBe(ID);
    expect(within(received).getByTestId('entry-tag').textContent).toBe('Email');
    expect(within(received).getByTestId('mail-folder').textContent).toBe('Received');
    expect(within(received).getByTestId('mail-subject').textContent).toBe('Invoice 1234 is wrong');
    expect(within(received).getByTestId('mail-from').textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Ann Customer <ann@example.com>',
    );
    expect(within(received).getByText('1 h ago')).toBeTruthy();
    const body = within(received).getByTestId('entry-body');
    expect(body.textContent).toBe('My invoice is wrong.\n\nAnn');
    // No HTML version: no toggle and no frame.
    expect(within(received).queryByTestId('mail-format-toggle')).toBeNull();
    expect(document.querySelector('iframe')).toBeNull();

    expect(within(sent).getByTestId('mail-folder').textContent).toBe('Sent');
    expect(within(sent).getByTestId('mail-from').textContent?.trim()).toBe('support@acme.com');
    // Our own reply as a GitLab note comes before the mail sent from it.
    expect(entries[2]!.textContent).toContain('Looking into it.');
  });

  it('shows mail text as text, never as HTML', async () => {
    const api = new FakeApi();
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a>';
    await show(api, ticket(6, { description: '', thread: [mailEntry({ body: hostile, subject: '<b>subject</b>' })] }));

    const card = mailCard();
    expect(within(card).getByTestId('entry-body').textContent).toBe(hostile);
    expect(within(card).getByTestId('mail-subject').textContent).toBe('<b>subject</b>');
    expect(card.querySelector('img, script, a, b')).toBeNull();
  });

  it('lists attachments with their sizes and saves one through the Go side', async () => {
    const api = new FakeApi();
    api.saveAttachmentResult = '/home/agent/Downloads/invoice-1234.pdf';
    await show(
      api,
      ticket(7, {
        thread: [
          mailEntry({
            attachments: [
              { index: 0, name: 'logo.png', content_type: 'image/png', size: 2_300, inline: true },
              { index: 1, name: 'invoice-1234.pdf', content_type: 'application/pdf', size: 245_760, inline: false },
              { index: 2, name: 'export.zip', content_type: 'application/zip', size: 3_460_300, inline: false },
            ],
          }),
        ],
      }),
    );

    const items = within(mailCard()).getAllByTestId('mail-attachment');
    expect(items.map((li) => within(li).getByTestId('attachment-name').textContent)).toEqual([
      'logo.png',
      'invoice-1234.pdf',
      'export.zip',
    ]);
    expect(items.map((li) => within(li).getByTestId('attachment-size').textContent)).toEqual(['2.2 KB', '240 KB', '3.3 MB']);
    // How many and how big in all; each file's kind on its icon, and which one the mail shows inline.
    expect(within(mailCard()).getByLabelText('Attachments').textContent).toContain('3 attachments · 3.5 MB');
    expect(items.map((li) => li.querySelector('[data-kind]')?.textContent?.trim())).toEqual(['PNG', 'PDF', 'ZIP']);
    expect(items[0]!.textContent).toContain('shown in the mail');
    expect(items[1]!.textContent).not.toContain('shown in the mail');

    const pdf = items[1]!;
    await fireEvent.click(within(pdf).getByTestId('attachment-save'));
    await settle();
    expect(api.savedAttachments).toEqual([[ID, 1]]);
    expect(within(pdf).getByTestId('attachment-result').textContent).toBe('Saved to /home/agent/Downloads/invoice-1234.pdf');
    // Only that attachment says so.
    expect(within(items[2]!).queryByTestId('attachment-result')).toBeNull();
  });

  it('says nothing when the save dialog is cancelled, and shows the sentence of a failure', async () => {
    const api = new FakeApi();
    await show(
      api,
      ticket(8, {
        thread: [mailEntry({ attachments: [{ index: 3, name: 'a.txt', content_type: 'text/plain', size: 10, inline: false }] })],
      }),
    );
    const item = within(mailCard()).getByTestId('mail-attachment');

    api.saveAttachmentResult = '';
    await fireEvent.click(within(item).getByTestId('attachment-save'));
    await settle();
    expect(api.savedAttachments).toEqual([[ID, 3]]);
    expect(within(item).queryByTestId('attachment-result')).toBeNull();

    api.saveAttachmentResult = new Error('save the attachment: permission denied');
    await fireEvent.click(within(item).getByTestId('attachment-save'));
    await settle();
    const result = within(item).getByTestId('attachment-result');
    expect(result.textContent).toBe('save the attachment: permission denied');
    expect(result.getAttribute('role')).toBe('alert');
  });

  it('shows the formatted mail only in a frame that may run and load nothing', async () => {
    const api = new FakeApi();
    const sanitized = '<p>Hello <b>there</b></p><a href="https://acme.example/x" rel="noopener noreferrer">x</a>';
    api.mailHtml.set(ID, { html: sanitized, remote_images: 4 });
    await show(api, ticket(9, { thread: [mailEntry({ has_html: true })] }));

    const card = mailCard();
    const toggle = within(card).getByTestId('mail-format-toggle');
    expect(toggle.textContent?.trim()).toBe('Show formatted');
    expect(api.htmlCalls).toEqual([]);

    await fireEvent.click(toggle);
    await settle();
    expect(api.htmlCalls).toEqual([ID]);
    expect(toggle.textContent?.trim()).toBe('Show plain text');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');

    const frame = within(card).getByTestId<HTMLIFrameElement>('mail-frame');
    expect(frame.tagName).toBe('IFRAME');
    // An empty sandbox: every restriction on, no token lifting any of them.
    expect(frame.hasAttribute('sandbox')).toBe(true);
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.outerHTML).not.toContain('allow-');
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(frame.hasAttribute('src')).toBe(false);

    const srcdoc = frame.getAttribute('srcdoc') ?? '';
    const head = srcdoc.slice(srcdoc.indexOf('<head>') + '<head>'.length);
    expect(head.startsWith(`<meta http-equiv="Content-Security-Policy" content="${MAIL_CSP}">`)).toBe(true);
    expect(MAIL_CSP).toBe("default-src 'none'; img-src cid: data:; style-src 'unsafe-inline'");
    expect(srcdoc).toContain(`<body>${sanitized}</body>`);
    // The mail is in the frame's document only, not in the app's DOM.
    expect(card.querySelector('b, p a')).toBeNull();
    expect(within(card).queryByTestId('entry-body')).toBeNull();

    const note = within(card).getByTestId('mail-remote-note');
    expect(note.textContent?.trim()).toBe('4 remote images blocked');
    expect(note.dataset['count']).toBe('4');
    expect(within(card).getByTestId('mail-frame-note').textContent).toContain('Links open from the plain-text view.');

    // Back to plain text, and formatted again without asking the Go side twice.
    await fireEvent.click(toggle);
    await settle();
    expect(within(card).queryByTestId('mail-frame')).toBeNull();
    expect(within(card).getByTestId('entry-body').textContent).toBe('My invoice is wrong.');
    await fireEvent.click(toggle);
    await settle();
    expect(within(card).getByTestId('mail-frame')).toBeTruthy();
    expect(api.htmlCalls).toEqual([ID]);
  });

  it('has no remote images note when none were blocked, and says when there is no HTML after all', async () => {
    const api = new FakeApi();
    api.mailHtml.set(ID, { html: '<p>hi</p>', remote_images: 0 });
    api.mailHtml.set('empty@x', { html: '', remote_images: 0 });
    await show(
      api,
      ticket(10, {
        thread: [
          mailEntry({ has_html: true }),
          mailEntry({ has_html: true, message_id: 'empty@x', created_at: '2024-06-15T11:00:00Z' }),
        ],
      }),
    );
    for (const toggle of screen.getAllByTestId('mail-format-toggle')) await fireEvent.click(toggle);
    await settle();
    expect(screen.getAllByTestId('mail-frame')).toHaveLength(1);
    expect(screen.queryByTestId('mail-remote-note')).toBeNull();
    expect(screen.getByTestId('mail-html-empty').textContent).toBe('This mail has no formatted version.');
  });

  it('shows why the formatted mail could not be loaded, and retries', async () => {
    const api = new FakeApi();
    api.mailHtml.set(ID, new Error('The message is no longer stored.'));
    await show(api, ticket(11, { thread: [mailEntry({ has_html: true })] }));
    const toggle = screen.getByTestId('mail-format-toggle');
    await fireEvent.click(toggle);
    await settle();
    expect(screen.getByTestId('mail-html-error').textContent).toBe("Couldn't load the formatted mail: The message is no longer stored.");

    api.mailHtml.set(ID, { html: '<p>ok</p>', remote_images: 0 });
    await fireEvent.click(toggle); // plain text
    await fireEvent.click(toggle); // formatted: asks again
    await settle();
    expect(screen.getByTestId('mail-frame')).toBeTruthy();
    expect(api.htmlCalls).toEqual([ID, ID]);
  });

  it('turns http(s) URLs of the text into buttons that ask the Go side to open them', async () => {
    const api = new FakeApi();
    const body = 'See https://status.acme.example/incidents/42. Or (http://example.com/a_(b)) and ftp://no.example.';
    await show(api, ticket(12, { thread: [mailEntry({ body })] }));

    const card = mailCard();
    const text = within(card).getByTestId('entry-body');
    expect(text.textContent).toBe(body);
    const links = within(card).getAllByTestId('mail-link');
    expect(links.map((l) => l.textContent)).toEqual(['https://status.acme.example/incidents/42', 'http://example.com/a_(b)']);
    expect(links.every((l) => l.tagName === 'BUTTON' && l.getAttribute('type') === 'button')).toBe(true);
    // Nothing the page could follow: no anchors, no href anywhere in the card.
    expect(card.querySelector('a, [href]')).toBeNull();
    expect(document.querySelector('a[href*="acme.example"], a[href*="example.com"]')).toBeNull();

    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    links[0]!.dispatchEvent(click);
    await settle();
    expect(click.defaultPrevented).toBe(true);
    expect(api.openedLinks).toEqual(['https://status.acme.example/incidents/42']);
    expect(within(card).queryByTestId('mail-link-error')).toBeNull();
  });

  it('shows the sentence when a link is refused', async () => {
    const api = new FakeApi();
    api.openLinkResult = new Error('links of the kind "file" are not opened');
    await show(api, ticket(13, { thread: [mailEntry({ body: 'Go to https://x.example/' })] }));
    await fireEvent.click(screen.getByTestId('mail-link'));
    await settle();
    expect(screen.getByTestId('mail-link-error').textContent).toBe('links of the kind "file" are not opened');
  });

  it('keeps what the agent did when the ticket reloads', async () => {
    const api = new FakeApi();
    api.mailHtml.set(ID, { html: '<p>hi</p>', remote_images: 1 });
    const t = ticket(14, { thread: [mailEntry({ has_html: true })] });
    api.tickets.set(14, t);
    const selection = new SelectionStore(api);
    await selection.open('7:14');
    render(TicketPane, ticketPaneProps(api, selection));
    await fireEvent.click(screen.getByTestId('mail-format-toggle'));
    await settle();
    expect(screen.getByTestId('mail-remote-note').textContent?.trim()).toBe('1 remote image blocked');

    api.tickets.set(14, { ...t, thread: [...t.thread, entry({ kind: 'reply', body: 'New', created_at: '2024-06-15T11:30:00Z' })] });
    await selection.reloadOpen();
    await settle();
    expect(screen.getAllByTestId('thread-entry')).toHaveLength(3);
    expect(screen.getByTestId('mail-frame')).toBeTruthy();
    expect(api.htmlCalls).toEqual([ID]);
  });
});

describe("a mail's remote images", () => {
  const BLOCKED = '<p>Hi <img src="cid:x"></p>';
  const WITH_IMAGES = '<p>Hi <img src="cid:x"><img src="https://img.example/a.png" referrerpolicy="no-referrer"></p>';

  function frameOf(card: HTMLElement): HTMLIFrameElement {
    return within(card).getByTestId<HTMLIFrameElement>('mail-frame');
  }

  function cspOf(frame: HTMLIFrameElement): string | null | undefined {
    const doc = new DOMParser().parseFromString(frame.getAttribute('srcdoc') ?? '', 'text/html');
    return doc.head.firstElementChild?.getAttribute('content');
  }

  /** Shows mails (id, sender) with blocked remote images, all formatted; returns their cards in order. */
  async function showFormatted(api: FakeApi, iid: number, mails: Array<[string, string]>): Promise<HTMLElement[]> {
    const thread = mails.map(([id, from], i) => {
      api.mailHtml.set(id, { html: BLOCKED, with_images: WITH_IMAGES, remote_images: 2 });
      api.mailSenders.set(id, from);
      return mailEntry({ has_html: true, message_id: id, author: from, created_at: `2024-06-15T10:0${i}:00Z` });
    });
    await show(api, ticket(iid, { thread }));
    for (const toggle of screen.getAllByTestId('mail-format-toggle')) await fireEvent.click(toggle);
    await settle();
    return screen.getAllByTestId('thread-entry').filter((el) => el.dataset['entryKind'] === 'mail');
  }

  it('are blocked until the agent clicks "Load images", then shown in a frame that still runs nothing', async () => {
    const api = new FakeApi();
    const [card, other] = (await showFormatted(api, 20, [
      [ID, 'ann@example.com'],
      ['second@mail.example.com', 'ann@example.com'],
    ])) as [HTMLElement, HTMLElement];

    expect(cspOf(frameOf(card))).toBe(MAIL_CSP);
    expect(frameOf(card).getAttribute('srcdoc')).not.toContain('img.example');
    const note = within(card).getByTestId('mail-remote-note');
    expect(note.textContent?.trim()).toBe('2 remote images blocked');
    expect(note.dataset['allowed']).toBe('false');

    // A real button: focusable by Tab and pressed with Enter or Space.
    const load = within(card).getByTestId<HTMLButtonElement>('mail-load-images');
    expect(load.tagName).toBe('BUTTON');
    expect(load.getAttribute('type')).toBe('button');
    expect(load.textContent?.trim()).toBe('Load images');
    expect(load.disabled).toBe(false);
    expect(load.hasAttribute('tabindex')).toBe(false);
    load.focus();
    expect(document.activeElement).toBe(load);
    expect(within(card).getByTestId('mail-load-images-sender').textContent?.trim()).toBe('Always for this sender');
    expect(within(card).getByTestId('mail-load-images-sender').getAttribute('title')).toBe('Always load images in mail from ann@example.com');

    await fireEvent.click(load);
    await settle();
    expect(api.allowCalls).toEqual([[ID, false]]);
    expect(api.htmlCalls).toEqual([ID, 'second@mail.example.com', ID]);

    const frame = frameOf(card);
    expect(cspOf(frame)).toBe(MAIL_CSP_REMOTE_IMAGES);
    expect(frame.getAttribute('srcdoc')).toContain(`<body>${WITH_IMAGES}</body>`);
    expect(frame.getAttribute('srcdoc')).toContain('<meta name="referrer" content="no-referrer">');
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.outerHTML).not.toContain('allow-');
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(within(card).getByTestId('mail-remote-note').textContent?.trim()).toBe('Remote images shown');
    expect(within(card).getByTestId('mail-remote-note').dataset['allowed']).toBe('true');
    expect(within(card).queryByTestId('mail-load-images')).toBeNull();
    expect(within(card).queryByTestId('mail-load-images-sender')).toBeNull();
    // The images are in the frame's document only, never in the app's DOM.
    expect(document.querySelector('img')).toBeNull();

    // Another mail of the same sender: still blocked.
    expect(cspOf(frameOf(other))).toBe(MAIL_CSP);
    expect(within(other).getByTestId('mail-remote-note').textContent?.trim()).toBe('2 remote images blocked');
  });

  it('"Always for this sender" shows the images of every mail from that sender', async () => {
    const api = new FakeApi();
    const [first, second, stranger] = (await showFormatted(api, 21, [
      [ID, 'ann@example.com'],
      ['second@mail.example.com', 'ann@example.com'],
      ['third@mail.example.com', 'mallory@evil.example'],
    ])) as [HTMLElement, HTMLElement, HTMLElement];

    await fireEvent.click(within(second).getByTestId('mail-load-images-sender'));
    await settle();
    expect(api.allowCalls).toEqual([['second@mail.example.com', true]]);
    for (const card of [first, second]) {
      expect(cspOf(frameOf(card))).toBe(MAIL_CSP_REMOTE_IMAGES);
      expect(within(card).getByTestId('mail-remote-note').textContent?.trim()).toBe('Remote images shown for all mail from this sender');
    }
    expect(cspOf(frameOf(stranger))).toBe(MAIL_CSP);
    expect(frameOf(stranger).getAttribute('srcdoc')).not.toContain('img.example');
    expect(within(stranger).getByTestId('mail-load-images')).toBeTruthy();
  });

  it('says why they could not be allowed, and lets the agent try again', async () => {
    const api = new FakeApi();
    const [card] = (await showFormatted(api, 22, [[ID, 'ann@example.com']])) as [HTMLElement];
    let open!: () => void;
    api.gate = new Promise<void>((resolve) => (open = resolve));
    await fireEvent.click(within(card).getByTestId('mail-load-images'));
    await settle();
    const load = within(card).getByTestId<HTMLButtonElement>('mail-load-images');
    expect(load.textContent?.trim()).toBe('Loading images…');
    expect(load.disabled).toBe(true);
    expect(within(card).getByTestId<HTMLButtonElement>('mail-load-images-sender').disabled).toBe(true);
    // A second click while it is under way asks nothing more.
    await fireEvent.click(within(card).getByTestId('mail-load-images-sender'));
    expect(api.allowCalls).toEqual([[ID, false]]);

    api.allowResult = new Error('message abc123@mail.example.com is not in the local copy');
    api.gate = null;
    open();
    await settle();
    expect(within(card).getByTestId('mail-images-error').textContent).toBe(
      "Couldn't load the remote images: message abc123@mail.example.com is not in the local copy",
    );
    expect(within(card).getByTestId('mail-images-error').getAttribute('role')).toBe('alert');
    expect(cspOf(frameOf(card))).toBe(MAIL_CSP);
    expect(within(card).getByTestId('mail-remote-note').textContent?.trim()).toBe('2 remote images blocked');

    api.allowResult = null;
    await fireEvent.click(within(card).getByTestId('mail-load-images'));
    await settle();
    expect(within(card).queryByTestId('mail-images-error')).toBeNull();
    expect(cspOf(frameOf(card))).toBe(MAIL_CSP_REMOTE_IMAGES);
  });

  it('offers no sender choice for a mail without a sender address', async () => {
    const api = new FakeApi();
    const [card] = (await showFormatted(api, 23, [[ID, '']])) as [HTMLElement];
    expect(within(card).getByTestId('mail-load-images')).toBeTruthy();
    expect(within(card).queryByTestId('mail-load-images-sender')).toBeNull();
  });

  it('are shown at once in a mail the agent allowed before', async () => {
    const api = new FakeApi();
    api.allowed.add(ID);
    const [card] = (await showFormatted(api, 24, [[ID, 'ann@example.com']])) as [HTMLElement];
    expect(cspOf(frameOf(card))).toBe(MAIL_CSP_REMOTE_IMAGES);
    expect(within(card).getByTestId('mail-remote-note').textContent?.trim()).toBe('Remote images shown');
    expect(within(card).queryByTestId('mail-load-images')).toBeNull();
    expect(api.allowCalls).toEqual([]);
  });
});
