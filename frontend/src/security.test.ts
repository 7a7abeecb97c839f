import { describe, expect, it } from 'vitest';
import indexHtml from '../index.html?raw';

// Ticket bodies are untrusted, and any script in the page can call every
// bound Go method: the page must never turn data into HTML.
const sources = import.meta.glob<string>(['./**/*.svelte', './**/*.ts', '!./**/*.test.ts', '!./test/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('page safety', () => {
  it('has sources to check', () => {
    expect(Object.keys(sources)).toContain('./components/ThreadEntry.svelte');
  });

  it.each(['{@html', 'innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval('])(
    'no source uses %s',
    (needle) => {
      const offenders = Object.entries(sources)
        .filter(([, text]) => text.includes(needle))
        .map(([file]) => file);
      expect(offenders).toEqual([]);
    },
  );

  it('only src/api imports the generated wailsjs bindings', () => {
    const importers = Object.entries(sources)
      .filter(([, text]) => /from\s+['"][./]*wailsjs\//.test(text))
      .map(([file]) => file);
    expect(importers).toEqual(['./api/index.ts']);
  });

  it('index.html carries the strict CSP and loads nothing remote', () => {
    const doc = new DOMParser().parseFromString(indexHtml, 'text/html');
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-src 'none'; object-src 'none'; base-uri 'none'",
    );
    expect(doc.title).toBe('Service Desk');
    const remote = [...doc.querySelectorAll('script[src], link[href]')]
      .map((el) => el.getAttribute('src') ?? el.getAttribute('href') ?? '')
      .filter((url) => /^(https?:)?\/\//.test(url));
    expect(remote).toEqual([]);
  });
});
