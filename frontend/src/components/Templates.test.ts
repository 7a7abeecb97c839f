import { fireEvent, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Template } from '../api/types';
import { DRAFT_DEBOUNCE_MS } from '../lib/composer.svelte';
import { FakeApi, NOW } from '../test/fixtures';
import { byTestId, renderApp, settle } from '../test/render';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

function tpl(id: number, name: string, body: string): Template {
  return { id, name, body, updated_at: '' };
}

const TEMPLATES = [
  tpl(1, 'Refund sent', 'Hi {{customer.first_name}}, your refund is on its way.'),
  tpl(2, 'Signature', 'Best regards,\n{{agent.name}}'),
  tpl(3, 'Password reset', 'Use the reset link.'),
];

async function openTicket(api = new FakeApi()) {
  api.templateList = TEMPLATES.map((t) => ({ ...t }));
  const app = await renderApp(api);
  await app.state.selection.open('7:1');
  await settle();
  return { api, ...app };
}

const input = () => byTestId<HTMLTextAreaElement>('composer-input');
const picker = () => screen.queryByTestId('template-picker');
const options = () => screen.queryAllByTestId('template-option');
const names = () => options().map((o) => o.querySelector('.name')?.textContent);

/** write types text with the caret at its end (or where "|" is). */
async function write(text: string) {
  const caret = text.includes('|') ? text.indexOf('|') : text.length;
  const value = text.replace('|', '');
  const el = input();
  el.focus();
  el.value = value;
  el.setSelectionRange(caret, caret);
  await fireEvent.input(el);
  await settle();
}

async function key(k: string, target: Element = input(), init: KeyboardEventInit = {}) {
  await fireEvent.keyDown(target, { key: k, ...init });
  await settle();
}

describe('template picker', () => {
  it('opens on / at a line start and :: anywhere, never inside a word', async () => {
    await openTicket();
    await write('/');
    expect(picker()).not.toBeNull();
    expect(names()).toEqual(['Password reset', 'Refund sent', 'Signature']);

    await write('see http://');
    expect(picker()).toBeNull();
    await write('and/or');
    expect(picker()).toBeNull();
    await write('std::vector');
    expect(picker()).toBeNull();

    await write('Thanks for waiting.\n\nAlso ::');
    expect(picker()).not.toBeNull();
    await write('Hello\n/');
    expect(picker()).not.toBeNull();
  });

  it('filters by name, then body, as the agent types after the trigger', async () => {
    await openTicket();
    await write('::re');
    expect(names()).toEqual(['Refund sent', 'Password reset', 'Signature']); // "regards" is in Signature's body
    await write('::refund');
    expect(names()).toEqual(['Refund sent']);
    await write('::zzz');
    expect(options()).toHaveLength(0);
    expect(byTestId('template-nomatch').textContent).toContain('zzz');
  });

  it('shows the variables a template uses as chips', async () => {
    await openTicket();
    await write('::refund');
    expect([...options()[0]!.querySelectorAll('[data-testid="template-var"]')].map((c) => c.textContent)).toEqual(['customer.first_name']);
  });

  it('arrows move the active option (aria-activedescendant follows) and Enter replaces the trigger with the body; the draft saves it', async () => {
    const { api } = await openTicket();
    await write('Hello,\n/|\nBye');
    const list = byTestId('template-list');
    expect(list.getAttribute('role')).toBe('listbox');
    expect(input().getAttribute('aria-controls')).toBe(list.id);
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[0]!.id);
    expect(options()[0]!.getAttribute('aria-selected')).toBe('true');

    await key('ArrowDown');
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[1]!.id);
    expect(options()[1]!.getAttribute('aria-selected')).toBe('true');
    await key('ArrowUp');
    await key('ArrowUp'); // wraps to the last
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[2]!.id);

    await key('Enter');
    expect(picker()).toBeNull();
    expect(input().value).toBe('Hello,\nBest regards,\n{{agent.name}}\nBye');
    expect(input().selectionStart).toBe('Hello,\nBest regards,\n{{agent.name}}'.length);
    expect(document.activeElement).toBe(input());
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    await settle();
    expect(api.drafts.get('7:1')?.body).toBe('Hello,\nBest regards,\n{{agent.name}}\nBye');
  });

  it('Tab inserts too, and a click on an option', async () => {
    await openTicket();
    await write('::sig');
    await key('Tab');
    expect(input().value).toBe('Best regards,\n{{agent.name}}');

    await write('Hi ::ref');
    await fireEvent.click(options()[0]!);
    await settle();
    expect(input().value).toBe('Hi Hi {{customer.first_name}}, your refund is on its way.');
  });

  it('Esc closes the picker, keeps the typed text and the focus, and it stays shut for that trigger', async () => {
    const { api } = await openTicket();
    await write('Costs 5 ::ref');
    await key('Escape');
    expect(picker()).toBeNull();
    expect(input().value).toBe('Costs 5 ::ref');
    expect(document.activeElement).toBe(input());
    await write('Costs 5 ::refu');
    expect(picker()).toBeNull();
    // Enter is a new line again, not a pick (the key is not taken).
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    input().dispatchEvent(enter);
    expect(enter.defaultPrevented).toBe(false);
    // A new trigger opens it again.
    await write('Costs 5 ::refu\n/');
    expect(picker()).not.toBeNull();
    expect(api.replies).toEqual([]);
  });

  it('the Templates button opens it with a filter, inserts at the caret, and Esc gives the focus back', async () => {
    await openTicket();
    await write('Dear customer, | Thanks.');
    input().blur();
    await fireEvent.click(byTestId('composer-templates'));
    await settle();
    const filter = byTestId<HTMLInputElement>('template-filter');
    expect(document.activeElement).toBe(filter);
    expect(filter.getAttribute('role')).toBe('combobox');
    await fireEvent.input(filter, { target: { value: 'pass' } });
    await settle();
    expect(names()).toEqual(['Password reset']);
    expect(filter.getAttribute('aria-activedescendant')).toBe(options()[0]!.id);
    await key('Enter', filter);
    expect(input().value).toBe('Dear customer, Use the reset link. Thanks.');

    await fireEvent.click(byTestId('composer-templates'));
    await settle();
    await key('Escape', byTestId('template-filter'));
    expect(picker()).toBeNull();
    expect(document.activeElement).toBe(input());
    expect(input().value).toBe('Dear customer, Use the reset link. Thanks.');
  });

  it('Insert variable puts {{name}} in place of the trigger', async () => {
    await openTicket();
    await write('Hello ::');
    await fireEvent.click(byTestId('template-variables'));
    await settle();
    const items = screen.getAllByTestId('template-variable');
    expect(items.map((i) => i.textContent)).toContain('{{customer.first_name}}');
    await fireEvent.click(items.find((i) => i.textContent === '{{customer.first_name}}')!);
    await settle();
    expect(input().value).toBe('Hello {{customer.first_name}}');
  });
});

describe('manage templates', () => {
  async function openDialog(list: Template[] = TEMPLATES) {
    const api = new FakeApi();
    const app = await openTicket(api);
    api.templateList = list.map((t) => ({ ...t }));
    app.state.templates.list = list.map((t) => ({ ...t }));
    await write('::');
    await fireEvent.click(byTestId('template-manage'));
    await settle();
    return api;
  }

  it('explains templates when there are none, and adds one', async () => {
    const api = await openDialog([]);
    expect(byTestId('templates-empty').textContent).toContain('{{customer.first_name}}');
    await fireEvent.click(byTestId('template-add'));
    await settle();
    expect(document.activeElement).toBe(byTestId('template-name'));
    await fireEvent.input(byTestId('template-name'), { target: { value: 'Welcome' } });
    await fireEvent.input(byTestId('template-body'), { target: { value: 'Hi ' } });
    byTestId<HTMLTextAreaElement>('template-body').setSelectionRange(3, 3);
    const chip = screen.getAllByTestId('template-insert-var').find((c) => c.textContent === '{{customer.first_name}}')!;
    await fireEvent.click(chip);
    await settle();
    expect(byTestId<HTMLTextAreaElement>('template-body').value).toBe('Hi {{customer.first_name}}');
    await fireEvent.click(byTestId('template-preview-toggle'));
    await settle();
    expect(byTestId('template-preview').textContent).toContain('Hi {{customer.first_name}}');
    await fireEvent.submit(byTestId('template-editor'));
    await settle();
    expect(api.templateSaves).toEqual([{ id: 0, name: 'Welcome', body: 'Hi {{customer.first_name}}', updated_at: '' }]);
    expect(screen.getAllByTestId('template-item').map((i) => i.querySelector('.name')?.textContent)).toEqual(['Welcome']);
    expect(document.activeElement).toBe(byTestId('template-add'));
  });

  it('shows the Go side sentence when a save is refused, and keeps the text', async () => {
    const api = await openDialog();
    await fireEvent.click(screen.getAllByTestId('template-edit')[1]!); // Refund sent
    await settle();
    await fireEvent.input(byTestId('template-body'), { target: { value: 'Hi\n{{customer.nickname}}' } });
    api.templateResult = new Error('line 2: unknown variable {{customer.nickname}}: use one of the variables listed');
    await fireEvent.submit(byTestId('template-editor'));
    await settle();
    expect(byTestId('template-error').textContent).toBe('line 2: unknown variable {{customer.nickname}}: use one of the variables listed');
    expect(byTestId('template-error').getAttribute('role')).toBe('alert');
    expect(byTestId<HTMLTextAreaElement>('template-body').value).toBe('Hi\n{{customer.nickname}}');
    expect(api.templateSaves.at(-1)?.id).toBe(1);
  });

  it('deletes a template only after the agent confirms', async () => {
    const api = await openDialog();
    const rows = () => screen.getAllByTestId('template-item').map((i) => i.querySelector('.name')?.textContent);
    expect(rows()).toEqual(['Password reset', 'Refund sent', 'Signature']);
    await fireEvent.click(screen.getAllByTestId('template-delete')[0]!);
    await settle();
    expect(api.deletedTemplates).toEqual([]);
    await fireEvent.click(byTestId('template-delete-confirm'));
    await settle();
    expect(api.deletedTemplates).toEqual([3]);
    expect(rows()).toEqual(['Refund sent', 'Signature']);
  });
});
