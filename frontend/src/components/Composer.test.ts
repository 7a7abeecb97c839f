import { fireEvent, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DRAFT_DEBOUNCE_MS } from '../lib/composer.svelte';
import { clockTime } from '../lib/pending';
import { entry, FakeApi, NOW, op, ticket } from '../test/fixtures';
import { byTestId, renderApp, settle } from '../test/render';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

async function openTicket(api = new FakeApi(), iid = 1) {
  const app = await renderApp(api);
  await app.state.selection.open(`7:${iid}`);
  await settle();
  return { api, ...app };
}

async function press(key: string, target: Element = document.body, init: KeyboardEventInit = {}) {
  await fireEvent.keyDown(target, { key, ...init });
  await settle();
}

async function write(text: string) {
  await fireEvent.input(byTestId('composer-input'), { target: { value: text } });
  await settle();
}

const input = () => byTestId<HTMLTextAreaElement>('composer-input');
const pendingEntries = () => screen.queryAllByTestId('pending-entry');

describe('composer', () => {
  it('r and i put the caret in the composer as a reply or an internal note; Esc leaves it', async () => {
    await openTicket();
    await press('r');
    expect(document.activeElement).toBe(input());
    expect(byTestId('composer').dataset['mode']).toBe('reply');
    expect(byTestId('composer-to').textContent).toContain('customer1@example.com');

    await press('Escape', input());
    expect(document.activeElement).not.toBe(input());

    await press('i');
    expect(document.activeElement).toBe(input());
    expect(byTestId('composer').dataset['mode']).toBe('note');
    expect(byTestId('composer').classList.contains('internal')).toBe(true);
    expect(byTestId('composer-to').textContent).toContain('Only your team sees this note.');
  });

  it('loads the draft when the ticket opens and says when it was saved', async () => {
    const api = new FakeApi();
    api.drafts.set('7:1', { project_id: 7, iid: 1, body: 'Earlier text', internal: false, saved_at: '2024-06-15T10:42:00Z' });
    await openTicket(api);
    expect(input().value).toBe('Earlier text');
    expect(byTestId('composer-draft-status').textContent).toBe(`Draft saved ${clockTime('2024-06-15T10:42:00Z')}`);

    await write('Earlier text, and more');
    expect(byTestId('composer-draft-status').textContent).toBe('Saving…');
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    await settle();
    expect(api.drafts.get('7:1')?.body).toBe('Earlier text, and more');
    expect(byTestId('composer-draft-status').textContent).toMatch(/^Draft saved \d\d:\d\d$/);
  });

  it('previews Markdown as elements, with HTML shown as text', async () => {
    await openTicket();
    await write('**Hello** <img src=x onerror=alert(1)>');
    await fireEvent.click(byTestId('composer-preview-toggle'));
    await settle();
    const preview = byTestId('composer-preview');
    expect(preview.querySelector('strong')?.textContent).toBe('Hello');
    expect(preview.querySelector('img')).toBeNull();
    expect(preview.textContent).toContain('<img src=x onerror=alert(1)>');
    // r goes back to writing.
    await press('r');
    expect(document.activeElement).toBe(input());
  });

  it('Send later queues the reply at the chosen time', async () => {
    const { api } = await openTicket();
    await write('Tomorrow is fine.');
    await fireEvent.click(byTestId('composer-send-later'));
    await settle();
    const choice = screen.getAllByTestId('send-later-choice').find((b) => b.textContent === 'In 1 hour')!;
    await fireEvent.click(choice);
    await settle();
    expect(api.replies).toEqual([
      { project_id: 7, iid: 1, body: 'Tomorrow is fine.', internal: false, send_at: new Date(NOW + 3_600_000).toISOString(), attachments: [] },
    ]);
    expect(byTestId('send-toast').dataset['phase']).toBe('scheduled');
  });
});

describe('sending with undo', () => {
  it('Ctrl+Enter queues the reply: pending in the thread and the list, a countdown, and Undo brings the text back', async () => {
    const { api } = await openTicket();
    await press('r');
    await write('The fix ships today.');
    await press('Enter', input(), { ctrlKey: true });

    expect(api.replies.map((r) => r.body)).toEqual(['The fix ships today.']);
    expect(input().value).toBe('');
    const [pending] = pendingEntries();
    expect(within(pending!).getByTestId('pending-body').textContent).toBe('The fix ships today.');
    expect(within(pending!).getByTestId('pending-badge').textContent).toBe(`Pending · sends at ${clockTime(new Date(NOW + 10_000).toISOString())}`);
    const mark = screen.getAllByTestId('ticket-row')[0]!.querySelector('[data-testid="ticket-row-pending"]');
    expect(mark?.textContent).toContain('1 change in the outbox');
    expect(byTestId('outbox-count').dataset['count']).toBe('1');

    const toast = byTestId('send-toast');
    expect(toast.dataset['phase']).toBe('countdown');
    expect(byTestId('send-toast-text').textContent).toBe('Reply to #1: sending in 10 s');
    await vi.advanceTimersByTimeAsync(3000);
    await settle();
    expect(byTestId('send-toast-text').textContent).toBe('Reply to #1: sending in 7 s');

    await fireEvent.click(byTestId('send-toast-undo'));
    await settle();
    expect(api.undone).toEqual(['op1']);
    expect(input().value).toBe('The fix ships today.');
    expect(document.activeElement).toBe(input());
    expect(pendingEntries()).toHaveLength(0);
    expect(byTestId('send-toast').dataset['phase']).toBe('undone');
    expect(screen.getAllByTestId('ticket-row')[0]!.querySelector('[data-testid="ticket-row-pending"]')).toBeNull();
  });

  it('after the window: Sending…, then Sent, and the real note replaces the pending entry without a duplicate', async () => {
    const { api } = await openTicket();
    await write('Refund sent.');
    await fireEvent.click(byTestId('composer-send'));
    await settle();
    const sent = api.ops[0]!;

    await vi.advanceTimersByTimeAsync(10_000);
    await settle();
    expect(byTestId('send-toast').dataset['phase']).toBe('sending');
    api.emitOutboxChanged([{ ...sent, state: 'sending', updated_at: new Date(NOW + 10_000).toISOString() }]);
    await settle();
    expect(byTestId('send-toast-text').textContent).toBe('Reply to #1: sending…');
    expect(within(pendingEntries()[0]!).getByTestId('pending-badge').textContent).toBe('Sending…');

    // Recorded: the bar says so; the entry stays until the ticket is reloaded.
    const recorded = { ...sent, state: 'recorded', updated_at: new Date(NOW + 11_000).toISOString() };
    api.ops = [];
    api.emitOutboxChanged([recorded]);
    await settle();
    expect(byTestId('send-toast-text').textContent).toBe('Reply to #1: sent.');
    expect(pendingEntries()).toHaveLength(1);
    expect(byTestId('outbox-count').dataset['count']).toBe('0');

    api.tickets.set(
      1,
      ticket(1, { thread: [entry({ kind: 'reply', body: `Refund sent.\n\n<!-- servicedesk:op=${sent.id} -->`, created_at: '2024-06-15T12:00:11Z' })] }),
    );
    api.emitTicketsChanged({ project_ids: [7], count: 1 });
    await settle();
    expect(pendingEntries()).toHaveLength(0);
    const bodies = screen.getAllByTestId('entry-body').map((b) => b.textContent);
    expect(bodies.filter((b) => b?.includes('Refund sent.'))).toEqual(['Refund sent.']);

    await vi.advanceTimersByTimeAsync(6000);
    await settle();
    expect(screen.queryByTestId('send-toast')).toBeNull();
  });

  it('attachments go with the reply and come back with Undo', async () => {
    const api = new FakeApi();
    api.picks = [[{ token: 't1', name: 'invoice.pdf', size: 48_000 }]];
    await openTicket(api);
    await write('Invoice attached.');
    await fireEvent.click(byTestId('composer-attach'));
    await settle();
    expect(screen.getAllByTestId('composer-attachment').map((a) => a.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['invoice.pdf 47 KB ×']);
    await fireEvent.click(byTestId('composer-send'));
    await settle();
    expect(api.replies[0]?.attachments).toEqual(['t1']);
    expect(screen.queryAllByTestId('composer-attachment')).toHaveLength(0);
    await fireEvent.click(byTestId('send-toast-undo'));
    await settle();
    expect(screen.getAllByTestId('composer-attachment')).toHaveLength(1);
    expect(input().value).toBe('Invoice attached.');
  });

  it('a reply that stopped says why in the thread and the bar, and the bar opens the Outbox', async () => {
    const { api, state } = await openTicket();
    await write('Hello');
    await fireEvent.click(byTestId('composer-send'));
    await settle();
    api.emitOutboxChanged([
      op('op1', { state: 'conflict', reason: 'Ann wrote again at 12:00', updated_at: new Date(NOW + 10_000).toISOString() }),
    ]);
    await settle();
    expect(within(pendingEntries()[0]!).getByTestId('pending-badge').textContent).toBe('Held: Ann wrote again at 12:00');
    expect(byTestId('send-toast-text').textContent).toBe('Reply to #1 held: Ann wrote again at 12:00');
    expect(byTestId('outbox-count').classList.contains('problem')).toBe(true);
    await fireEvent.click(byTestId('send-toast-outbox'));
    await settle();
    expect(state.pane).toBe('outbox');
    expect(byTestId('outbox-view')).toBeTruthy();
  });

  it('Undo that comes too late says so and keeps the reply', async () => {
    const { api } = await openTicket();
    await write('Hello');
    await fireEvent.click(byTestId('composer-send'));
    await settle();
    api.ops[0]!.state = 'sending';
    await fireEvent.click(byTestId('send-toast-undo'));
    await settle();
    expect(byTestId('send-toast').textContent).toContain('too late to undo: it is already sending');
    expect(pendingEntries()).toHaveLength(1);
    expect(input().value).toBe('');
  });
});

describe('merge offer', () => {
  it('offers to merge a ticket that continues another, through the outbox', async () => {
    const api = new FakeApi();
    api.tickets.set(15, ticket(15, { merge_into: 12 }));
    await openTicket(api, 15);
    const offer = byTestId('merge-offer');
    expect(offer.textContent).toContain('#12');
    await fireEvent.click(byTestId('merge-button'));
    await settle();
    expect(api.merges).toEqual([[7, 15, 12]]);
    expect(byTestId('merge-offer').textContent).toContain('Merging into #12');
    expect(byTestId('ticket-state').textContent?.trim()).toBe('Closed');
    expect(byTestId('ticket-state').dataset['pending']).toBe('true');
  });

  it('shows no offer on tickets that continue nothing', async () => {
    await openTicket();
    expect(screen.queryByTestId('merge-offer')).toBeNull();
  });
});
