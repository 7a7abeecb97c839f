import { fireEvent, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { OutboxOp } from '../api/types';
import { FakeApi, op, row } from '../test/fixtures';
import { byTestId, renderApp, settle } from '../test/render';

async function showOutbox(api: FakeApi) {
  const app = await renderApp(api);
  await fireEvent.click(byTestId('view-outbox'));
  await settle();
  return app;
}

const items = () => screen.queryAllByTestId('outbox-item');
const item = (id: string) => items().find((el) => el.dataset['opId'] === id)!;
const actionsOf = (id: string) => within(item(id)).queryAllByTestId('outbox-action').map((b) => b.textContent?.trim());

async function act(id: string, label: string) {
  const button = within(item(id))
    .getAllByTestId('outbox-action')
    .find((b) => b.textContent?.trim() === label);
  if (!button) throw new Error(`no "${label}" on ${id}: ${actionsOf(id).join(', ')}`);
  await fireEvent.click(button);
  await settle();
}

function world(): FakeApi {
  const api = new FakeApi();
  api.rows = [row(1, { title: 'Refund for order 1234' }), row(2), row(3)];
  api.ops = [
    op('q', { iid: 1, body: 'On its way.' }),
    op('f', { iid: 2, kind: 'labels', add_labels: ['vip'], state: 'failed', reason: 'GitLab refused the token: check Accounts.' }),
    op('c', { iid: 3, state: 'conflict', reason: 'The customer wrote again at 11:58.' }),
    op('u', { iid: 9, state: 'delivery unknown', reason: 'The connection broke during the hand-over.' }),
    op('s', { iid: 1, kind: 'state', state_change: 'close', state: 'sending' }),
  ];
  return api;
}

describe('Outbox view', () => {
  it('lists what waits, those that need the agent first, with ticket, kind and reason', async () => {
    await showOutbox(world());
    expect(byTestId('view-outbox').getAttribute('aria-current')).toBe('true');
    expect(byTestId('outbox-count').dataset['count']).toBe('5');
    expect(within(byTestId('outbox-stopped')).getAllByTestId('outbox-item').map((el) => el.dataset['opId'])).toEqual(['f', 'c', 'u']);
    expect(within(byTestId('outbox-waiting')).getAllByTestId('outbox-item').map((el) => el.dataset['opId'])).toEqual(['q', 's']);
    expect(item('q').textContent).toContain('#1 Refund for order 1234');
    expect(item('q').textContent).toContain('On its way.');
    expect(item('f').textContent).toContain('Labels');
    expect(item('f').textContent).toContain('+vip');
    expect(within(item('f')).getByTestId('outbox-status').textContent).toBe('Failed: GitLab refused the token: check Accounts.');
    // A ticket not in the list is named by its project.
    expect(item('u').textContent).toContain('#9 acme/support');
  });

  it('offers the actions each state allows', async () => {
    await showOutbox(world());
    expect(actionsOf('q')).toEqual(['Undo']);
    expect(actionsOf('f')).toEqual(['Retry', 'Discard']);
    expect(actionsOf('c')).toEqual(['Send anyway', 'Edit', 'Discard']);
    expect(actionsOf('u')).toEqual(['It arrived', 'Send again']);
    expect(actionsOf('s')).toEqual([]);
  });

  it('passes decisions to the Go side; Discard asks twice; Edit opens the ticket with the text in the composer', async () => {
    const api = world();
    const { state } = await showOutbox(api);
    await act('f', 'Retry');
    await act('u', 'Send again');
    await act('c', 'Discard');
    expect(api.decisions).toEqual([
      ['f', 'retry'],
      ['u', 'send-again'],
    ]);
    expect(actionsOf('c')).toEqual(['Send anyway', 'Edit', 'Discard for good?']);
    await fireEvent.click(within(item('c')).getByTestId('outbox-keep'));
    await settle();
    expect(actionsOf('c')).toEqual(['Send anyway', 'Edit', 'Discard']);
    expect(api.decisions).toHaveLength(2);
    await act('f', 'Discard');
    await act('f', 'Discard for good?');
    expect(api.decisions.at(-1)).toEqual(['f', 'discard']);
    expect(items().map((el) => el.dataset['opId'])).not.toContain('f');

    api.drafts.set('7:3', { project_id: 7, iid: 3, body: 'Hello again', internal: false, saved_at: '2024-06-15T12:00:00Z' });
    await act('c', 'Edit');
    expect(api.decisions.at(-1)).toEqual(['c', 'edit']);
    expect(items().map((el) => el.dataset['opId'])).not.toContain('c');
    expect(state.selection.openKey).toBe('7:3');
    expect(byTestId<HTMLTextAreaElement>('composer-input').value).toBe('Hello again');
    expect(document.activeElement).toBe(byTestId('composer-input'));
  });

  it('Undo takes a queued op back; a refusal is shown on the op', async () => {
    const api = world();
    await showOutbox(api);
    await act('q', 'Undo');
    expect(api.undone).toEqual(['q']);
    expect(items().map((el) => el.dataset['opId'])).not.toContain('q');

    api.decideResult = new Error('it changed meanwhile: it is now sending');
    await act('f', 'Retry');
    expect(within(item('f')).getByTestId('outbox-error').textContent).toBe('it changed meanwhile: it is now sending');
  });

  it('clicking an op opens its ticket', async () => {
    const api = world();
    const { state } = await showOutbox(api);
    await fireEvent.click(within(item('f')).getByTestId('outbox-open'));
    await settle();
    expect(state.selection.openKey).toBe('7:2');
    expect(byTestId('ticket-title').textContent).toBe('Ticket number 2');
    expect(item('f').classList.contains('open')).toBe(true);
  });

  it('follows events live and drains to the empty state', async () => {
    const api = new FakeApi();
    const a: OutboxOp = op('a');
    api.ops = [a];
    await showOutbox(api);
    expect(items()).toHaveLength(1);
    api.emitOutboxChanged([op('b', { iid: 2 })]);
    await settle();
    expect(byTestId('outbox-count').dataset['count']).toBe('2');
    api.emitOutboxChanged([
      { ...a, state: 'recorded', updated_at: '2024-06-15T12:00:11Z' },
      op('b', { iid: 2, state: 'undone' }),
    ]);
    await settle();
    expect(items()).toHaveLength(0);
    expect(byTestId('empty-state').dataset['kind']).toBe('outbox-empty');
    expect(byTestId('outbox-count').textContent?.trim()).toBe('');
  });

  it('says when the outbox cannot be read, and tries again', async () => {
    const api = new FakeApi();
    api.outboxResult = new Error('database is locked');
    await showOutbox(api);
    const empty = byTestId('empty-state');
    expect(empty.dataset['kind']).toBe('outbox-error');
    expect(empty.textContent).toContain('database is locked');
    api.outboxResult = null;
    api.ops = [op('a')];
    await fireEvent.click(within(empty).getByText('Try again'));
    await settle();
    expect(items()).toHaveLength(1);
  });

  it('a view in the sidebar brings the ticket list back', async () => {
    const { state } = await showOutbox(world());
    await fireEvent.click(byTestId('view-needs_reply'));
    await settle();
    expect(state.pane).toBe('tickets');
    expect(screen.getAllByTestId('ticket-row')).toHaveLength(3);
    // Tickets with work waiting are marked; a failed one differently.
    const marks = screen.getAllByTestId('ticket-row').map((r) => r.querySelector<HTMLElement>('[data-testid="ticket-row-pending"]')?.dataset['failed'] ?? null);
    expect(marks).toEqual(['false', 'true', 'true']);
  });
});
