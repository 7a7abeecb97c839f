import { fireEvent, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeApi, op, row, ticket } from '../test/fixtures';
import { byTestId, renderApp, settle } from '../test/render';

async function openTicket(api = new FakeApi()) {
  api.rows = [row(1, { labels: ['billing'], assignees: ['bob'] }), row(2, { labels: ['refund', 'vip'], assignees: ['ann'] })];
  api.tickets.set(1, ticket(1, { labels: ['billing', 'urgent'], assignees: ['bob'] }));
  const app = await renderApp(api);
  await app.state.selection.open('7:1');
  await settle();
  return { api, ...app };
}

async function press(key: string, target: Element = document.body) {
  await fireEvent.keyDown(target, { key });
  await settle();
}

async function enter(id: string, value: string) {
  const el = byTestId<HTMLInputElement>(id);
  await fireEvent.input(el, { target: { value } });
  await fireEvent.keyDown(el, { key: 'Enter' });
  await settle();
}

const chips = () => screen.getAllByTestId('label-chip').map((c) => `${c.dataset['label']}:${c.dataset['change']}`);

const request = { project_id: 7, iid: 1, add_labels: [], remove_labels: [], assignees: null, state: '', add_cc: [], remove_cc: [] };

describe('triage controls', () => {
  it('l adds a label through the outbox; it shows at once as pending and lands with the reload', async () => {
    const { api } = await openTicket();
    await press('l');
    const field = byTestId<HTMLInputElement>('triage-label-input');
    expect(document.activeElement).toBe(field);
    // Labels in use elsewhere are suggested, those the ticket has are not.
    const options = [...document.querySelectorAll(`#${field.getAttribute('list')} option`)].map((o) => o.getAttribute('value'));
    expect(options).toEqual(['refund', 'vip']);
    await enter('triage-label-input', 'refund');
    expect(api.triages).toEqual([{ ...request, add_labels: ['refund'] }]);
    expect(chips()).toEqual(['billing:none', 'urgent:none', 'refund:adding']);
    expect(screen.queryByTestId('triage-label-input')).toBeNull();

    api.emitOutboxChanged([op('op1', { kind: 'labels', add_labels: ['refund'], state: 'recorded', updated_at: '2024-06-15T12:00:02Z' })]);
    api.tickets.set(1, ticket(1, { labels: ['billing', 'urgent', 'refund'], assignees: ['bob'] }));
    api.emitTicketsChanged({ project_ids: [7], count: 1 });
    await settle();
    expect(chips()).toEqual(['billing:none', 'urgent:none', 'refund:none']);
  });

  it('× removes a label, shown going until it is gone', async () => {
    const { api } = await openTicket();
    const urgent = screen.getAllByTestId('label-chip').find((c) => c.dataset['label'] === 'urgent')!;
    await fireEvent.click(within(urgent).getByTestId('triage-label-remove'));
    await settle();
    expect(api.triages).toEqual([{ ...request, remove_labels: ['urgent'] }]);
    expect(chips()).toEqual(['billing:none', 'urgent:removing']);
  });

  it('a assigns (usernames, @ or not), and Unassign clears', async () => {
    const { api } = await openTicket();
    await press('a');
    const field = byTestId<HTMLInputElement>('triage-assign-input');
    expect(document.activeElement).toBe(field);
    expect(field.value).toBe('bob');
    await enter('triage-assign-input', 'ann, @cy');
    expect(api.triages.at(-1)).toEqual({ ...request, assignees: ['ann', 'cy'] });
    const shown = byTestId('triage-assignees');
    expect(shown.textContent?.trim()).toBe('ann, cy');
    expect(shown.dataset['pending']).toBe('true');

    await fireEvent.click(byTestId('triage-assign'));
    await settle();
    await fireEvent.click(byTestId('triage-unassign'));
    await settle();
    expect(api.triages.at(-1)).toEqual({ ...request, assignees: [] });
    expect(byTestId('triage-assignees').textContent?.trim()).toBe('Unassigned');
    expect(screen.queryByTestId('triage-assign-input')).toBeNull();
  });

  it('e closes the ticket (pending until it lands); the button reopens', async () => {
    const { api } = await openTicket();
    await press('e');
    expect(api.triages).toEqual([{ ...request, state: 'close' }]);
    expect(byTestId('ticket-state').textContent?.trim()).toBe('Closed');
    expect(byTestId('ticket-state').dataset['pending']).toBe('true');
    expect(byTestId('triage-state').textContent?.trim()).toBe('Reopen');
    // e on a closed ticket does nothing.
    await press('e');
    expect(api.triages).toHaveLength(1);
    await fireEvent.click(byTestId('triage-state'));
    await settle();
    expect(api.triages.at(-1)).toEqual({ ...request, state: 'reopen' });
  });

  it('adds and removes CC addresses', async () => {
    const { api } = await openTicket();
    await fireEvent.click(byTestId('triage-cc-add'));
    await settle();
    await enter('triage-cc-input', 'boss@example.com');
    expect(api.triages.at(-1)).toEqual({ ...request, add_cc: ['boss@example.com'] });
    expect(screen.getAllByTestId('cc-chip').map((c) => c.textContent?.trim())).toEqual(['+boss@example.com']);

    await fireEvent.click(byTestId('triage-cc-add'));
    await settle();
    await fireEvent.input(byTestId('triage-cc-input'), { target: { value: 'old@example.com' } });
    await fireEvent.click(byTestId('triage-cc-remove'));
    await settle();
    expect(api.triages.at(-1)).toEqual({ ...request, remove_cc: ['old@example.com'] });
  });

  it("shows the Go side's sentence when a change is refused, and keeps the field open", async () => {
    const api = new FakeApi();
    api.triageResult = new Error('"bad address" is not an e-mail address');
    await openTicket(api);
    await fireEvent.click(byTestId('triage-cc-add'));
    await settle();
    await enter('triage-cc-input', 'bad address');
    expect(byTestId('triage-error').textContent).toBe('"bad address" is not an e-mail address');
    expect(byTestId<HTMLInputElement>('triage-cc-input').value).toBe('bad address');
  });

  it('Escape closes an editor without a change, and keys typed there are not shortcuts', async () => {
    const { api } = await openTicket();
    await press('l');
    const field = byTestId('triage-label-input');
    await press('e', field);
    await press('Escape', field);
    expect(screen.queryByTestId('triage-label-input')).toBeNull();
    expect(api.triages).toEqual([]);
  });
});
