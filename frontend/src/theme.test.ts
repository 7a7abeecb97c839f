import { describe, expect, it } from 'vitest';
import css from './app.css?raw';

// Every source file but the tests, to find the custom properties they read.
const sources = import.meta.glob<string>(['./**/*.svelte', './**/*.ts', '!./**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

// The palettes in app.css, read as the browser would pick them: the light
// tokens on :root, and the dark ones on top when the OS asks for dark.

type Palette = Record<string, string>;

function declarations(block: string): Palette {
  const out: Palette = {};
  for (const m of block.matchAll(/--([\w-]+)\s*:\s*([^;]+);/g)) out[m[1]!] = m[2]!.trim();
  return out;
}

function blockAfter(marker: RegExp): string {
  const start = css.search(marker);
  if (start < 0) throw new Error(`app.css has no ${marker}`);
  const open = css.indexOf('{', css.indexOf(':root', start));
  return css.slice(open + 1, css.indexOf('}', open));
}

const light = declarations(blockAfter(/^:root\s*\{/m));
const darkOnly = declarations(blockAfter(/@media\s*\(prefers-color-scheme:\s*dark\)/));
const dark: Palette = { ...light, ...darkOnly };

function rgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = rgb(hex).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const SURFACES = ['bg', 'bg-sidebar', 'bg-list', 'bg-status', 'bg-muted', 'bg-hover', 'bg-selected'];
const TINTS = ['internal-bg', 'reply-bg', 'mail-bg', 'warn-bg', 'danger-bg', 'ok-bg'];

/** Text colours and the backgrounds the components put them on. */
const TEXT_PAIRS: Array<[string, string]> = [
  ...['text', 'text-muted', 'text-faint', 'accent', 'danger'].flatMap((fg) => SURFACES.map((bg): [string, string] => [fg, bg])),
  ...['text', 'text-muted', 'text-faint', 'accent'].flatMap((fg) => TINTS.map((bg): [string, string] => [fg, bg])),
  // The open row: its faint text turns muted (TicketRow), the rest stays.
  ['text', 'bg-open'],
  ['text-muted', 'bg-open'],
  ['accent', 'bg-open'],
  ['danger', 'bg-open'],
  ['danger', 'danger-bg'],
  ['ok', 'bg'],
  ['ok', 'ok-bg'],
  ['ok', 'mail-bg'],
  ['warn-text', 'warn-bg'],
  ['warn-text', 'internal-bg'],
  ['warn-text', 'internal-tag-bg'],
  ['mail-tag-text', 'mail-tag-bg'],
  ['chip-text', 'chip-bg'],
  ['text-muted', 'chip-bg'],
  ['badge-open-text', 'badge-open-bg'],
  ['badge-closed-text', 'badge-closed-bg'],
  ['demo-text', 'demo-bg'],
  // Attachment icons carry their extension as text, on the attachment's --bg (MailCard).
  ...['file-pdf', 'file-image', 'file-archive', 'file-sheet'].map((fg): [string, string] => [fg, 'bg']),
  ['accent-text', 'accent'],
  ['on-danger', 'danger'],
  // The undo toast is the page inverted.
  ['bg', 'text'],
];

/** The focus ring against what it is drawn on (WCAG 1.4.11: 3:1). */
const RING_PAIRS = [...SURFACES, 'bg-open', ...TINTS].map((bg): [string, string] => ['focus', bg]);

describe.each([
  ['light', light],
  ['dark', dark],
])('the %s palette', (_name, palette) => {
  const hex = (token: string) => {
    const v = palette[token];
    if (v === undefined) throw new Error(`no --${token}`);
    return v;
  };

  /** The pairs below min, with their ratios, so a failure names them. */
  const below = (pairs: Array<[string, string]>, min: number) =>
    pairs
      .map(([fg, bg]) => ({ pair: `--${fg} on --${bg}`, ratio: Math.round(contrast(hex(fg), hex(bg)) * 100) / 100 }))
      .filter((p) => p.ratio < min);

  it('has text that reads at 4.5:1 or more on every background it is put on (WCAG AA)', () => {
    expect(below(TEXT_PAIRS, 4.5)).toEqual([]);
  });

  it('has a focus ring that shows at 3:1 or more on every background', () => {
    expect(below(RING_PAIRS, 3)).toEqual([]);
  });

  it('keeps internal notes, replies and mail apart', () => {
    const kinds = ['internal-bg', 'reply-bg', 'mail-bg', 'bg'].map(hex);
    expect(new Set(kinds).size).toBe(4);
    // Amber notes: more red than blue; blue replies; green mail.
    const [ir, , ib] = rgb(hex('internal-bg'));
    const [rr, , rb] = rgb(hex('reply-bg'));
    const [mr, mg, mb] = rgb(hex('mail-bg'));
    expect(ir).toBeGreaterThan(ib);
    expect(rb).toBeGreaterThan(rr);
    expect(mg).toBeGreaterThan(Math.max(mr, mb));
  });

  it('keeps mail on white paper: mail HTML is written for white', () => {
    expect(hex('mail-frame-bg')).toBe('#ffffff');
  });
});

describe('the dark palette', () => {
  it('overrides every colour the light one sets', () => {
    // Tokens made of other tokens follow them; a grey wash suits both.
    const shared = new Set(['overlay-hover']);
    const colours = Object.entries(light)
      .filter(([name, v]) => /#|rgb\(/.test(v) && !shared.has(name))
      .map(([name]) => name);
    expect(colours.length).toBeGreaterThan(40);
    expect(colours.filter((name) => !(name in darkOnly))).toEqual([]);
  });

  it('is dark', () => {
    expect(contrast(dark['bg']!, '#000000')).toBeLessThan(2);
    expect(contrast(dark['text']!, dark['bg']!)).toBeGreaterThan(10);
  });
});

describe('the tokens', () => {
  it('are set for every custom property the components read, so no fallback stands in for one', () => {
    const defined = new Set(Object.keys(light));
    // A component may own a property: it declares it in its style block, or sets it with style:--name.
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/(?:^|[\s;{(])--([\w-]+)\s*:/g)) defined.add(m[1]!);
      for (const m of text.matchAll(/style:--([\w-]+)/g)) defined.add(m[1]!);
    }
    const missing = new Set<string>();
    for (const [path, text] of [...Object.entries(sources), ['app.css', css] as const]) {
      for (const m of text.matchAll(/var\(\s*--([\w-]+)/g)) if (!defined.has(m[1]!)) missing.add(`--${m[1]} in ${path}`);
    }
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect([...missing]).toEqual([]);
  });
});
