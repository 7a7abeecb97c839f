import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Markdown from '../components/Markdown.svelte';
import { inlines, parseMarkdown } from './markdown';

describe('parseMarkdown', () => {
  it('reads paragraphs, headings, lists, quotes, code and rules', () => {
    const src = [
      '# Refund',
      '',
      'Hello **Ann**,',
      'thanks for *waiting*.',
      '',
      '- one',
      '- two',
      '  continued',
      '',
      '1. first',
      '2. second',
      '',
      '> quoted **text**',
      '',
      '```',
      '<b>not bold</b>',
      '```',
      '---',
      'Setext',
      '===',
    ].join('\n');
    expect(parseMarkdown(src)).toEqual([
      { type: 'heading', level: 1, children: [{ type: 'text', text: 'Refund' }] },
      {
        type: 'p',
        children: [
          { type: 'text', text: 'Hello ' },
          { type: 'strong', children: [{ type: 'text', text: 'Ann' }] },
          { type: 'text', text: ',' },
          { type: 'br' },
          { type: 'text', text: 'thanks for ' },
          { type: 'em', children: [{ type: 'text', text: 'waiting' }] },
          { type: 'text', text: '.' },
        ],
      },
      {
        type: 'list',
        ordered: false,
        start: 1,
        items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }, { type: 'br' }, { type: 'text', text: 'continued' }]],
      },
      { type: 'list', ordered: true, start: 1, items: [[{ type: 'text', text: 'first' }], [{ type: 'text', text: 'second' }]] },
      {
        type: 'quote',
        children: [{ type: 'p', children: [{ type: 'text', text: 'quoted ' }, { type: 'strong', children: [{ type: 'text', text: 'text' }] }] }],
      },
      { type: 'code', text: '<b>not bold</b>' },
      { type: 'hr' },
      { type: 'heading', level: 1, children: [{ type: 'text', text: 'Setext' }] },
    ]);
  });

  it('keeps http(s) and mailto links only, and leaves the rest as text', () => {
    expect(inlines('see [the docs](https://docs.example.com/a) or https://x.example/b.')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', href: 'https://docs.example.com/a', children: [{ type: 'text', text: 'the docs' }] },
      { type: 'text', text: ' or ' },
      { type: 'link', href: 'https://x.example/b', children: [{ type: 'text', text: 'https://x.example/b' }] },
      { type: 'text', text: '.' },
    ]);
    expect(inlines('[click](javascript:alert(1))')).toEqual([{ type: 'text', text: '[click](javascript:alert(1))' }]);
  });

  it('reads code spans, escapes and snake_case words literally', () => {
    expect(inlines('run `rm -rf *` \\*not em\\* my_var_name')).toEqual([
      { type: 'text', text: 'run ' },
      { type: 'code', text: 'rm -rf *' },
      { type: 'text', text: ' *not em* my_var_name' },
    ]);
    expect(inlines('2 * 3 * 4')).toEqual([{ type: 'text', text: '2 * 3 * 4' }]);
  });

  it('stops nesting at a depth and stays fast on runs of markers', () => {
    const deep = '>'.repeat(200) + ' x';
    expect(() => parseMarkdown(deep)).not.toThrow();
    const start = performance.now();
    parseMarkdown('*_'.repeat(3000) + '[' .repeat(2000));
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('Markdown component', () => {
  it('renders the tree as elements and HTML in the source as text', () => {
    const hostile = 'Hi <img src=x onerror="alert(1)"> **bold** <script>alert(2)</script> [x](javascript:alert(3))';
    const { container } = render(Markdown, { source: hostile });
    const md = container.querySelector('[data-testid="markdown"]')!;
    expect(md.querySelector('img, script, a')).toBeNull();
    expect(md.querySelector('strong')?.textContent).toBe('bold');
    expect(md.textContent).toBe('Hi <img src=x onerror="alert(1)"> bold <script>alert(2)</script> [x](javascript:alert(3))');
  });

  it('shows links as text with their address, never as something to follow', () => {
    const { container } = render(Markdown, { source: 'See [our status page](https://status.example.com).\n\n- a\n- b' });
    const link = container.querySelector('.link')!;
    expect(link.textContent).toBe('our status page');
    expect(link.getAttribute('title')).toBe('https://status.example.com');
    expect(container.querySelectorAll('li')).toHaveLength(2);
    expect(container.querySelector('a')).toBeNull();
  });
});
