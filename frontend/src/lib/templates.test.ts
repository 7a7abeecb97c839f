import { describe, expect, it } from 'vitest';
import type { Template } from '../api/types';
import { FakeApi, project, teamTemplate, template } from '../test/fixtures';
import { filterTemplates, findTrigger, replaceRange, templateKey, TemplatesStore, usedVariables } from './templates.svelte';

/** trigger finds the trigger with the caret where "|" is. */
function trigger(text: string) {
  const caret = text.indexOf('|');
  return findTrigger(text.replace('|', ''), caret);
}

const tpl = template;

/** team is a shared template of a project's repository, named after its file. */
const team = teamTemplate;

describe('findTrigger', () => {
  it.each([
    ['/|', { start: 0, end: 1, query: '' }],
    ['/ref|', { start: 0, end: 4, query: 'ref' }],
    ['Hello,\n/refund s|', { start: 7, end: 16, query: 'refund s' }],
    ['::|', { start: 0, end: 2, query: '' }],
    ['Thanks ::ref|', { start: 7, end: 12, query: 'ref' }],
    ['line one\n::sig|', { start: 9, end: 14, query: 'sig' }],
  ])('opens on %j', (text, want) => {
    expect(trigger(text)).toEqual(want);
  });

  it.each([
    ['see http://|'],
    ['see http://example.com/|'],
    ['a /|'],
    ['and/or|'],
    ['std::vec|'],
    ['// comment|'],
    ['/ spaced|'],
    [':: spaced|'],
    ['/ref|\n'.replace('|\n', '\n|')], // the caret moved to the next line
    ['/' + 'x'.repeat(45) + '|'], // too long to be a filter
  ])('stays shut on %j', (text) => {
    expect(trigger(text)).toBeNull();
  });
});

describe('filterTemplates', () => {
  const list = [
    tpl(1, 'Signature', 'Best regards, {{agent.name}}'),
    tpl(2, 'Refund sent', 'Hi {{customer.first_name}}, your refund is on its way.'),
    tpl(3, 'Password reset', 'Use the reset link; the refund team cannot help.'),
    tpl(4, 'Partial refund', 'We refunded part of it.'),
  ];

  it('gives names that start with the query, then names that contain it, then bodies; case does not matter', () => {
    expect(filterTemplates(list, 'REF').map((t) => t.id)).toEqual([2, 4, 3]);
    expect(filterTemplates(list, 'regards').map((t) => t.id)).toEqual([1]);
    expect(filterTemplates(list, 'nothing like it')).toEqual([]);
  });

  it('gives them all by name for an empty query', () => {
    expect(filterTemplates(list, '').map((t) => t.name)).toEqual(['Partial refund', 'Password reset', 'Refund sent', 'Signature']);
  });

  it('lists the team templates with the own ones, those that cannot be used last, and the own one first of two with one name', () => {
    const mixed = [
      ...list,
      team(7, 'refund-approved.md', 'Refund approved', 'Approved.'),
      team(7, 'password-reset.md', 'Password reset', 'Hi {{ticket.order}}', 'password-reset.md: line 1: unknown variable {{ticket.order}}'),
      team(7, 'signature.md', 'Signature', 'The team'),
    ];
    const shown = (q: string) => filterTemplates(mixed, q).map((t) => `${t.name}${t.path ? ' (team)' : ''}`);
    expect(shown('')).toEqual([
      'Partial refund',
      'Password reset',
      'Refund approved (team)',
      'Refund sent',
      'Signature',
      'Signature (team)',
      'Password reset (team)',
    ]);
    expect(shown('pass')).toEqual(['Password reset', 'Password reset (team)']);
    expect(shown('refund')).toEqual(['Refund approved (team)', 'Refund sent', 'Partial refund', 'Password reset']);
  });
});

describe('templateKey', () => {
  it('keeps every template apart: own ones by id, team ones (all id 0) by project and file', () => {
    const all = [
      tpl(1, 'Signature', ''),
      tpl(2, 'Refund', ''),
      team(7, 'refund.md', 'Refund', ''),
      team(7, 'closing.md', 'Closing', ''),
      team(8, 'refund.md', 'Refund', ''), // the same file in another project
    ];
    expect(new Set(all.map(templateKey)).size).toBe(all.length);
    expect(templateKey(tpl(1, 'Signature', ''))).toBe(templateKey(tpl(1, 'Renamed', 'new text')));
  });
});

describe('template text', () => {
  it('lists the variables a body uses, once each', () => {
    expect(usedVariables('Hi {{customer.first_name}}, #{{ ticket.iid }} {{customer.first_name}} {not} {{}}')).toEqual([
      'customer.first_name',
      'ticket.iid',
    ]);
  });

  it('replaces the trigger with the text and puts the caret after it', () => {
    expect(replaceRange('Hello\n::ref and more', 6, 11, 'BODY')).toEqual({ text: 'Hello\nBODY and more', caret: 10 });
  });
});

describe('TemplatesStore', () => {
  it('loads once, saves and deletes, and gives the Go side sentence when a save is refused', async () => {
    const api = new FakeApi();
    api.templateList = [tpl(1, 'Signature', 'Regards')];
    const s = new TemplatesStore(api);
    await s.load();
    expect(s.list.map((t) => t.name)).toEqual(['Signature']);
    expect(s.variables).toContain('customer.first_name');

    expect(await s.save(tpl(0, 'Welcome', 'Hi {{customer.first_name}}'))).toBe('');
    expect(s.list.map((t) => t.name)).toEqual(['Signature', 'Welcome']);

    api.templateResult = new Error('line 2: unknown variable {{customer.nickname}}');
    expect(await s.save(tpl(0, 'Bad', 'x\n{{customer.nickname}}'))).toBe('line 2: unknown variable {{customer.nickname}}');
    expect(s.list).toHaveLength(2);

    expect(await s.remove(1)).toBe('');
    expect(s.list.map((t) => t.name)).toEqual(['Welcome']);
    expect(api.deletedTemplates).toEqual([1]);
  });
});

describe('TemplatesStore with team templates', () => {
  it('saves and deletes own templates without touching the team ones (all id 0)', async () => {
    const api = new FakeApi();
    api.templateList = [tpl(1, 'Signature', 'Regards'), team(7, 'a.md', 'A', 'a'), team(7, 'b.md', 'B', 'b')];
    const s = new TemplatesStore(api);
    await s.load();
    expect(await s.save(tpl(0, 'Welcome', 'Hi'))).toBe('');
    expect(await s.save({ ...tpl(1, 'Signature', 'Kind regards') })).toBe('');
    expect(s.list.map((t) => t.name).sort()).toEqual(['A', 'B', 'Signature', 'Welcome']);
    expect(await s.remove(1)).toBe('');
    expect(s.list.map((t) => t.name).sort()).toEqual(['A', 'B', 'Welcome']);
  });

  it('names the project a team template comes from only when there are several', () => {
    const api = new FakeApi();
    let projects = [project(7, 'Webshop')];
    const s = new TemplatesStore(api, () => projects);
    const shared = team(7, 'a.md', 'A', 'a');
    expect(s.projectName(shared)).toBe('');
    projects = [project(7, 'Webshop'), project(8, 'Billing')];
    expect(s.projectName(shared)).toBe('Webshop');
    expect(s.projectName(tpl(1, 'Own', ''))).toBe('');
    expect(s.projectName(team(9, 'a.md', 'A', 'a'))).toBe('');
  });
});
