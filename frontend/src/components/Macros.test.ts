import { fireEvent, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Macro } from '../api/types';
import { FakeApi, NOW, overview, view } from '../test/fixtures';
import { byTestId, renderApp, settle } from '../test/render';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

function macro(name: string, actions: string[], over: Partial<Macro> = {}): Macro {
  const file = name.toLowerCase().replace(/\s+/g, '-');
  return { project_id: 7, path: `.gitlab/service_desk_desktop/macros/${file}.yml`, name, description: '', actions, problem: '', ...over };
}

const REFUND = macro('Refund approved', ['add labels refund', 'remove labels urgent', 'internal note', 'reply with refund-approved', 'close'], {
  description: 'The refund is issued: tell the customer, note it for finance, and close.',
});
const ESCALATE = macro('Escalate to billing', ['add labels billing, urgent', 'assign priya.natarajan', 'internal note'], {
  description: 'Hand the ticket to the billing team.',
});
const BROKEN = macro('broken', [], {
  problem: '.gitlab/service_desk_desktop/macros/broken.yml: line 3: field asign not found',
});
const OTHER_PROJECT = macro('Close as spam', ['close'], { project_id: 8 });

async function openTicket(api = new FakeApi(), iid = 1) {
  if (Array.isArray(api.macroList) && api.macroList.length === 0) api.macroList = [REFUND, BROKEN, ESCALATE, OTHER_PROJECT];
  const app = await renderApp(api);
  await app.state.selection.open(`7:${iid}`);
  await settle();
  return { api, ...app };
}

async function press(key: string, target: Element = document.body) {
  await fireEvent.keyDown(target, { key });
  await settle();
}

async function openPicker() {
  await fireEvent.click(byTestId('macros-button'));
  await settle();
  return byTestId('macro-picker');
}

const options = () => screen.getAllByTestId('macro-option');
const names = () => options().map((o) => o.dataset['name']);
const active = () => options().findIndex((o) => o.getAttribute('aria-selected') === 'true');
const toastText = () => byTestId('send-toast-text').textContent;

describe('the Macros picker', () => {
  it("lists the ticket's project's macros with what they do, a broken one disabled with its problem", async () => {
    const { api } = await openTicket();
    await openPicker();
    expect(api.macroLoads).toEqual([7]);
    // Those that can be applied first, by name; the other project's are not there.
    expect(names()).toEqual(['Escalate to billing', 'Refund approved', 'broken']);

    const [escalate, refund, broken] = options();
    expect(within(refund!).getByTestId('macro-description').textContent).toBe(REFUND.description);
    expect(within(refund!).getByTestId('macro-actions').textContent).toBe(REFUND.actions.join(''));
    expect([...within(escalate!).getByTestId('macro-actions').children].map((c) => c.textContent)).toEqual(ESCALATE.actions);
    expect(escalate!.getAttribute('aria-disabled')).toBe('false');

    expect(broken!.getAttribute('aria-disabled')).toBe('true');
    expect(within(broken!).getByTestId('macro-problem').textContent).toBe(`Can't be applied: ${BROKEN.problem}`);
    expect(within(broken!).queryByTestId('macro-actions')).toBeNull();

    // A click on the broken one does nothing: it stays open, nothing is queued.
    await fireEvent.click(broken!);
    await settle();
    expect(api.appliedMacros).toEqual([]);
    expect(screen.queryByTestId('macro-picker')).not.toBeNull();
  });

  it('the field keeps the focus: typing filters, the arrows skip a broken macro, Esc closes and gives the focus back', async () => {
    await openTicket();
    await openPicker();
    const filter = byTestId<HTMLInputElement>('macro-filter');
    expect(document.activeElement).toBe(filter);
    expect(active()).toBe(0);
    await press('ArrowDown', filter);
    expect(active()).toBe(1);
    expect(filter.getAttribute('aria-activedescendant')).toBe(options()[1]!.id);
    await press('ArrowDown', filter); // past the broken one, back to the first
    expect(active()).toBe(0);
    await press('ArrowUp', filter);
    expect(active()).toBe(1);

    await fireEvent.input(filter, { target: { value: 'billing' } });
    await settle();
    expect(names()).toEqual(['Escalate to billing']);
    await fireEvent.input(filter, { target: { value: 'nothing like it' } });
    await settle();
    expect(byTestId('macro-nomatch').textContent).toBe('No macro matches “nothing like it”.');

    await press('Escape', filter);
    expect(screen.queryByTestId('macro-picker')).toBeNull();
    expect(document.activeElement).toBe(byTestId('macros-button'));
  });

  it('stays open while the ticket reloads (a sync), and closes when another ticket opens', async () => {
    const { api, state } = await openTicket();
    await openPicker();
    const before = state.selection.ticket;
    api.emitTicketsChanged({ project_ids: [7], count: 1 });
    await settle();
    expect(state.selection.ticket).not.toBe(before);
    expect(screen.queryByTestId('macro-picker')).not.toBeNull();
    expect(document.activeElement).toBe(byTestId('macro-filter'));

    await state.selection.open('7:2');
    await settle();
    expect(screen.queryByTestId('macro-picker')).toBeNull();
  });

  it('says where macros come from when the project has none, and says why when they cannot be read', async () => {
    const api = new FakeApi();
    api.macroList = [OTHER_PROJECT];
    await openTicket(api);
    await openPicker();
    expect(byTestId('macro-empty').textContent?.replace(/\s+/g, ' ').trim()).toBe(
      "No macros yet: the team adds them to the project's repository under .gitlab/service_desk_desktop/macros/",
    );
    await press('Escape', byTestId('macro-filter'));

    api.macroList = new Error('database is locked');
    await openPicker();
    expect(byTestId('macro-load-error').textContent).toBe("Couldn't load the macros: database is locked");
  });

  it('m opens it on an open ticket; not in a field, and g m still goes to Mine', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({ views: [...overview().views, view('mine', 'Mine', 0)] });
    const { state } = await openTicket(api);

    await press('m', byTestId('composer-input'));
    expect(screen.queryByTestId('macro-picker')).toBeNull();

    await press('g');
    await press('m');
    expect(state.tickets.view).toBe('mine');
    expect(screen.queryByTestId('macro-picker')).toBeNull();

    await press('m');
    expect(screen.queryByTestId('macro-picker')).not.toBeNull();
    expect(document.activeElement).toBe(byTestId('macro-filter'));
  });
});

describe('applying a macro', () => {
  it('Enter applies the active one: its ops are pending and the bar counts down for all of them; Undo takes every one back', async () => {
    const { api } = await openTicket();
    await openPicker();
    await press('ArrowDown', byTestId('macro-filter'));
    await press('Enter', byTestId('macro-filter'));

    expect(api.appliedMacros).toEqual([[7, 1, 'Refund approved']]);
    expect(screen.queryByTestId('macro-picker')).toBeNull();
    expect(document.activeElement).toBe(byTestId('macros-button'));
    const ids = api.ops.map((o) => o.id);
    expect(ids).toHaveLength(5);
    expect(byTestId('outbox-count').dataset['count']).toBe('5');
    expect(screen.getAllByTestId('pending-entry').length).toBeGreaterThan(0);

    const toast = byTestId('send-toast');
    expect(toast.dataset['macro']).toBe('Refund approved');
    expect(toast.dataset['phase']).toBe('countdown');
    expect(toastText()).toBe('Macro "Refund approved": applying in 10 s');
    await vi.advanceTimersByTimeAsync(3000);
    await settle();
    expect(toastText()).toBe('Macro "Refund approved": applying in 7 s');

    await fireEvent.click(byTestId('send-toast-undo'));
    await settle();
    // Every op, the close first.
    expect(api.undone).toEqual([...ids].reverse());
    expect(api.ops).toEqual([]);
    expect(byTestId('send-toast').dataset['phase']).toBe('undone');
    expect(toastText()).toBe('Macro "Refund approved" undone: nothing changed on #1. Its reply and note are in the composer, as an internal note.');
    expect(byTestId('outbox-count').dataset['count']).toBe('0');
    expect(screen.queryAllByTestId('pending-entry')).toHaveLength(0);
    // What the Go side put back into the draft shows, as a note: the note's text never goes out as a reply.
    expect(byTestId<HTMLTextAreaElement>('composer-input').value).toBe('Reply of Refund approved\n\nNote of Refund approved');
    expect(api.drafts.get('7:1')?.internal).toBe(true);
  });

  it('a click applies; after the window the bar follows the ops until every one is on GitLab', async () => {
    const { api } = await openTicket();
    await openPicker();
    await fireEvent.click(options()[0]!);
    await settle();
    expect(api.appliedMacros).toEqual([[7, 1, 'Escalate to billing']]);
    const ops = [...api.ops];
    expect(ops.map((o) => o.kind)).toEqual(['labels', 'assign', 'note']);

    await vi.advanceTimersByTimeAsync(10_000);
    const at = (s: number) => new Date(NOW + s * 1000).toISOString();
    api.emitOutboxChanged([{ ...ops[0]!, state: 'recorded', updated_at: at(11) }, { ...ops[1]!, state: 'sending', updated_at: at(11) }]);
    await settle();
    expect(byTestId('send-toast').dataset['phase']).toBe('sending');
    expect(toastText()).toBe('Macro "Escalate to billing": applying… 1 of 3 done');
    expect(screen.queryByTestId('send-toast-undo')).toBeNull();

    api.emitOutboxChanged(ops.slice(1).map((o) => ({ ...o, state: 'recorded', updated_at: at(12) })));
    await settle();
    expect(byTestId('send-toast').dataset['phase']).toBe('done');
    expect(toastText()).toBe('Macro "Escalate to billing" applied to #1.');
  });

  it('an op that stopped makes the bar say so and open the Outbox', async () => {
    const { api, state } = await openTicket();
    await openPicker();
    await fireEvent.click(options()[0]!);
    await settle();
    const [, assign] = api.ops;
    api.emitOutboxChanged([{ ...assign!, state: 'failed', reason: 'GitLab has no user priya.natarajan', updated_at: new Date(NOW + 11_000).toISOString() }]);
    await settle();
    expect(byTestId('send-toast').dataset['phase']).toBe('stopped');
    expect(toastText()).toBe('Macro "Escalate to billing": 1 of 3 actions not applied to #1: GitLab has no user priya.natarajan');
    await fireEvent.click(byTestId('send-toast-outbox'));
    await settle();
    expect(state.pane).toBe('outbox');
  });

  it('an Undo too late for some ops takes back the others and says what stays', async () => {
    const { api } = await openTicket();
    await openPicker();
    await fireEvent.click(options()[0]!);
    await settle();
    const [labels, assign, note] = api.ops;
    api.ops[0] = { ...labels!, state: 'sending' }; // leaving already (the page has not heard): the Go side refuses its Undo

    await fireEvent.click(byTestId('send-toast-undo'));
    await settle();
    expect(api.undone).toEqual([note!.id, assign!.id, labels!.id]);
    expect(byTestId('send-toast').textContent).toContain('too late to undo: it is already sending');
    expect(toastText()).toBe('Macro "Escalate to billing": applying 1 of 3 actions in 10 s');

    api.emitOutboxChanged([{ ...labels!, state: 'recorded', updated_at: new Date(NOW + 11_000).toISOString() }]);
    await settle();
    expect(toastText()).toBe('Macro "Escalate to billing": 1 of 3 actions applied to #1, the rest undone.');
  });

  it('a refusal is said as a sentence in the picker, which stays open, and nothing is queued', async () => {
    const api = new FakeApi();
    api.applyMacroResult = new Error('the macro "Refund approved" cannot be applied: reply: no team template "refund-approved"');
    await openTicket(api);
    await openPicker();
    await fireEvent.click(options()[1]!);
    await settle();
    expect(byTestId('macro-error').textContent).toBe(
      'Couldn\'t apply the macro: the macro "Refund approved" cannot be applied: reply: no team template "refund-approved"',
    );
    expect(screen.queryByTestId('macro-picker')).not.toBeNull();
    expect(api.ops).toEqual([]);
    expect(screen.queryByTestId('send-toast')).toBeNull();
  });
});
