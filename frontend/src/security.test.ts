import { describe, expect, it } from 'vitest';
import indexHtml from '../index.html?raw';

// Ticket bodies are untrusted, and any script in the page can call every
// bound Go method: the page must never turn data into HTML.
const sources = import.meta.glob<string>(['./**/*.svelte', './**/*.ts', '!./**/*.test.ts', '!./test/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

// Everything under src, tests and test helpers included.
const everything = import.meta.glob<string>(['./**/*.svelte', './**/*.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Sandbox tokens that would give a mail frame back a power: none may appear. */
const SANDBOX_TOKENS = /allow-(scripts|same-origin|popups|top-navigation|forms|modals|downloads|pointer-lock|presentation|orientation-lock|storage-access)/;

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

  // Mail HTML is shown in an iframe whose sandbox grants nothing: with
  // scripts and same origin together a frame can lift its own sandbox, and
  // any script could call every bound Go method.
  it('names no sandbox permission anywhere in src but here', () => {
    const offenders = Object.entries(everything)
      .filter(([file, text]) => file !== './security.test.ts' && SANDBOX_TOKENS.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
    expect(Object.keys(everything)).toContain('./components/MailCard.test.ts');
  });

  it('gives every iframe an empty sandbox, no referrer and a srcdoc, never a src', () => {
    const frames = Object.entries(sources)
      .filter(([file]) => file.endsWith('.svelte'))
      .flatMap(([file, text]) => [...text.matchAll(/<iframe\b[^>]*>/g)].map((m) => ({ file, tag: m[0] })));
    expect(frames.map((f) => f.file)).toEqual(['./components/MailCard.svelte']);
    for (const { tag } of frames) {
      expect(tag).toMatch(/\ssandbox=""(\s|>)/);
      expect(tag).toMatch(/\sreferrerpolicy="no-referrer"/);
      expect(tag).toMatch(/\{srcdoc\}|\ssrcdoc=/);
      expect(tag).not.toMatch(/\ssrc=|\{src\}|sandbox=\{|\{\.\.\./);
    }
  });

  it('has no links the page could follow: no <a href> in components', () => {
    const offenders = Object.entries(sources)
      .filter(([file, text]) => file.endsWith('.svelte') && /<a\b[^>]*\bhref/.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('only src/api imports the generated wailsjs bindings', () => {
    const importers = Object.entries(sources)
      .filter(([, text]) => /from\s+['"][./]*wailsjs\//.test(text))
      .map(([file]) => file);
    expect(importers).toEqual(['./api/index.ts']);
  });

  it('index.html carries the strict CSP and loads nothing remote', () => {
    const doc = new DOMParser().parseFromString(indexHtml, 'text/html');
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
    // img-src has https: and http: only because the mail frame (srcdoc)
    // inherits this policy: without them a mail's allowed remote images
    // could not load. Scripts, styles, fonts and connections stay local.
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; connect-src 'self' ws: wss:; frame-src 'none'; object-src 'none'; base-uri 'none'",
    );
    expect(doc.title).toBe('Service Desk');
    const remote = [...doc.querySelectorAll('script[src], link[href]')]
      .map((el) => el.getAttribute('src') ?? el.getAttribute('href') ?? '')
      .filter((url) => /^(https?:)?\/\//.test(url));
    expect(remote).toEqual([]);
  });
});
