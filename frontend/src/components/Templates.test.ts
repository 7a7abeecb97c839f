import { fireEvent, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Template } from '../api/types';
import { DRAFT_DEBOUNCE_MS } from '../lib/composer.svelte';
import { FakeApi, NOW, overview, project, teamTemplate, template } from '../test/fixtures';
import { byTestId, renderApp, settle } from '../test/render';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

const tpl = template;

const TEMPLATES = [
  tpl(1, 'Refund sent', 'Hi {{customer.first_name}}, your refund is on its way.'),
  tpl(2, 'Signature', 'Best regards,\n{{agent.name}}'),
  tpl(3, 'Password reset', 'Use the reset link.'),
];

/** The team's templates of the demo project (7): one cannot be used. */
const TEAM = [
  teamTemplate(7, 'refund-approved.md', 'Refund approved', 'Hi {{customer.first_name}}, your refund was approved.'),
  teamTemplate(
    7,
    'order-status.md',
    'Order status',
    'Your order {{ticket.order}} is on its way.',
    '.gitlab/service_desk_desktop/templates/order-status.md: line 1: unknown variable {{ticket.order}}',
  ),
  teamTemplate(7, 'closing-no-answer.md', 'Closing no answer', 'We are closing this ticket for now.'),
];

async function openTicket(api = new FakeApi(), list: Template[] = TEMPLATES) {
  api.templateList = list.map((t) => ({ ...t }));
  const app = await renderApp(api);
  await app.state.selection.open('7:1');
  await settle();
  return { api, ...app };
}

const input = () => byTestId<HTMLTextAreaElement>('composer-input');
const picker = () => screen.queryByTestId('template-picker');
const options = () => screen.queryAllByTestId('template-option');
const names = () => options().map((o) => o.querySelector('.name')?.textContent);
/** The options as the agent reads them: name, and "(Team)" or "(Team, project)" for the team's. */
const shown = () =>
  options().map((o) => {
    const team = o.querySelector('[data-testid="template-team"]');
    const proj = o.querySelector('[data-testid="template-project"]')?.textContent;
    return `${o.querySelector('.name')?.textContent}${team ? ` (${[team.textContent, proj].filter(Boolean).join(', ')})` : ''}`;
  });

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

describe('template picker with team templates', () => {
  it('lists the team templates with the own ones, marked Team, those that cannot be used last', async () => {
    await openTicket(new FakeApi(), [...TEMPLATES, ...TEAM]);
    await write('::');
    expect(shown()).toEqual([
      'Closing no answer (Team)',
      'Password reset',
      'Refund approved (Team)',
      'Refund sent',
      'Signature',
      'Order status (Team)',
    ]);
    await write('::refund');
    expect(shown()).toEqual(['Refund approved (Team)', 'Refund sent']);
    // A team template is inserted like an own one.
    await key('Enter');
    expect(input().value).toBe('Hi {{customer.first_name}}, your refund was approved.');
  });

  it('names the project of a team template when the account has several', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({ projects: [project(7, 'Webshop'), project(8, 'Billing')] });
    await openTicket(api, [...TEMPLATES, ...TEAM, teamTemplate(8, 'refund-approved.md', 'Refund approved', 'Billing refunds take a week.')]);
    await write('::refund a');
    expect(shown()).toEqual(['Refund approved (Team, Webshop)', 'Refund approved (Team, Billing)']);
  });

  it('shows a template with a problem disabled, with the problem, and Enter, Tab or a click only say why', async () => {
    const { api } = await openTicket(new FakeApi(), [...TEMPLATES, ...TEAM]);
    await write('Hello ::order');
    const [broken] = options();
    expect(shown()).toEqual(['Order status (Team)']);
    expect(broken!.getAttribute('aria-disabled')).toBe('true');
    expect(broken!.getAttribute('title')).toBe(TEAM[1]!.problem);
    expect(broken!.querySelector('[data-testid="template-problem"]')?.textContent).toBe(TEAM[1]!.problem);
    expect(screen.queryByTestId('template-refused')).toBeNull();

    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    input().dispatchEvent(enter);
    await settle();
    expect(enter.defaultPrevented).toBe(true); // no new line either
    expect(input().value).toBe('Hello ::order');
    expect(picker()).not.toBeNull();
    const why = byTestId('template-refused');
    expect(why.getAttribute('role')).toBe('alert');
    expect(why.textContent).toBe(`“Order status” can't be inserted until its file is fixed in the project's repository (the problem is under its name).`);

    await key('Tab');
    await fireEvent.click(options()[0]!);
    await settle();
    expect(input().value).toBe('Hello ::order');
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    await settle();
    expect(api.drafts.get('7:1')?.body).toBe('Hello ::order');

    // The sentence is about that template: typing on takes it away.
    await write('Hello ::o');
    expect(screen.queryByTestId('template-refused')).toBeNull();
    expect(options().length).toBeGreaterThan(1);
  });

  it('keeps several team templates (all id 0) apart, even one file in two projects, and inserts the one picked', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({ projects: [project(7, 'Webshop'), project(8, 'Billing')] });
    const same = teamTemplate(8, 'refund-approved.md', 'Refund approved', 'Billing refunds take a week.');
    await openTicket(api, [...TEAM, same]);
    await write('::');
    expect(options()).toHaveLength(4);
    expect(new Set(options().map((o) => o.dataset['key'])).size).toBe(4);
    await write('::refund');
    expect(options()).toHaveLength(2);
    await write('::');
    expect(shown()).toEqual([
      'Closing no answer (Team, Webshop)',
      'Refund approved (Team, Webshop)',
      'Refund approved (Team, Billing)',
      'Order status (Team, Webshop)',
    ]);
    await key('ArrowDown');
    await key('ArrowDown');
    await key('Enter');
    expect(input().value).toBe('Billing refunds take a week.');
  });
});

describe('manage templates', () => {
  async function openDialog(list: Template[] = TEMPLATES, api = new FakeApi()) {
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
    expect(api.templateSaves).toEqual([{ ...tpl(0, 'Welcome', 'Hi {{customer.first_name}}') }]);
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

  it('lists the team templates read-only, apart from the own ones: name, file, text, problem, and where they are changed', async () => {
    const api = await openDialog([...TEMPLATES, ...TEAM]);
    const own = screen.getAllByTestId('template-item').map((i) => i.querySelector('.name')?.textContent);
    expect(own).toEqual(['Password reset', 'Refund sent', 'Signature']);

    const section = byTestId('team-templates');
    expect(section.querySelector('h3')?.textContent).toBe('Team templates');
    expect(byTestId('team-templates-about', section).textContent).toContain('.gitlab/service_desk_desktop/templates/');
    expect(byTestId('team-templates-about', section).textContent).toContain('reviewed like code');
    const items = screen.getAllByTestId('team-template-item');
    expect(items.map((i) => i.querySelector('.name')?.textContent)).toEqual(['Closing no answer', 'Order status', 'Refund approved']);
    expect(items.map((i) => byTestId('team-template-path', i).textContent)).toEqual(TEAM.map((t) => t.path).sort());
    expect(items[2]!.textContent).toContain('your refund was approved');
    // Nothing to edit or delete here: they are changed in the repository.
    expect(section.querySelectorAll('button')).toHaveLength(0);
    expect(items.map((i) => i.querySelector('[data-testid="team-template-problem"]')?.textContent ?? '')).toEqual(['', TEAM[1]!.problem, '']);
    expect(byTestId('team-template-problem', items[1]!).classList.contains('error')).toBe(true);
    expect(api.templateSaves).toEqual([]);
  });

  it('says how to share a template with the team when there are none, and only the own ones say they are empty', async () => {
    await openDialog(TEMPLATES);
    expect(screen.queryAllByTestId('team-template-item')).toHaveLength(0);
    expect(byTestId('team-templates-empty').textContent).toContain('.gitlab/service_desk_desktop/templates/');
    expect(screen.queryByTestId('templates-empty')).toBeNull();
  });

  it('explains own templates when the agent has none but the team has some', async () => {
    await openDialog(TEAM);
    expect(byTestId('templates-empty').textContent).toContain('{{customer.first_name}}');
    expect(screen.queryByTestId('team-templates-empty')).toBeNull();
    expect(screen.getAllByTestId('team-template-item')).toHaveLength(3);
  });

  it('names the project of each team template when the account has several', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({ projects: [project(7, 'Webshop'), project(8, 'Billing')] });
    await openDialog([...TEAM, teamTemplate(8, 'refund-approved.md', 'Refund approved', 'A week.')], api);
    expect(screen.getAllByTestId('team-template-item').map((i) => i.querySelector('.project')?.textContent)).toEqual([
      'Webshop',
      'Webshop',
      'Webshop',
      'Billing',
    ]);
  });
});
