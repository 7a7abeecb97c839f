import { describe, expect, it } from 'vitest';
import type { Template } from '../api/types';
import { FakeApi } from '../test/fixtures';
import { filterTemplates, findTrigger, replaceRange, TemplatesStore, usedVariables } from './templates.svelte';

/** trigger finds the trigger with the caret where "|" is. */
function trigger(text: string) {
  const caret = text.indexOf('|');
  return findTrigger(text.replace('|', ''), caret);
}

function tpl(id: number, name: string, body: string): Template {
  return { id, name, body, updated_at: '' };
}

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
