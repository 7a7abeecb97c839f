// A small Markdown reader for the composer's preview. It turns the source
// into a tree (paragraphs, headings, lists, quotes, code, emphasis, links)
// that components/Markdown.svelte renders as elements: the text never
// becomes HTML, so `<script>` typed in a reply stays text. It covers what a
// support reply uses; GitLab renders the real thing.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em' | 'del'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'br' };

export type Block =
  | { type: 'p'; children: Inline[] }
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { type: 'code'; text: string }
  | { type: 'quote'; children: Block[] }
  | { type: 'hr' };

/** Nesting deeper than this (quotes in quotes, emphasis in emphasis) is read as text. */
const MAX_DEPTH = 8;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^ {0,3}(?:([-*+])|(\d{1,9})[.)])[ \t]+(.*)$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Lines that end a paragraph: they start a block of their own. */
function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || HR.test(line) || QUOTE.test(line) || ITEM.test(line);
}

/** parseMarkdown reads a Markdown source into blocks. */
export function parseMarkdown(source: string): Block[] {
  return blocks(source.replace(/\r\n?/g, '\n').split('\n'), 0);
}

function blocks(lines: string[], depth: number): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const mark = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${mark[0] === '`' ? '`' : '~'}{${mark.length},}[ \\t]*$`).test(lines[i]!)) {
        body.push(lines[i]!);
        i++;
      }
      i++; // the closing fence (or the end)
      out.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push({ type: 'heading', level: heading[1]!.length, children: inlines(heading[2] ?? '', depth) });
      i++;
      continue;
    }
    if (HR.test(line)) {
      out.push({ type: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) {
        inner.push(lines[i]!.replace(QUOTE, ''));
        i++;
      }
      out.push(
        depth < MAX_DEPTH
          ? { type: 'quote', children: blocks(inner, depth + 1) }
          : { type: 'p', children: [{ type: 'text', text: inner.join('\n') }] },
      );
      continue;
    }
    if (ITEM.test(line)) {
      i = list(lines, i, depth, out);
      continue;
    }
    const para: string[] = [line];
    i++;
    while (i < lines.length && !isBlank(lines[i]!) && !startsBlock(lines[i]!)) {
      const setext = SETEXT.exec(lines[i]!);
      if (setext) break;
      para.push(lines[i]!);
      i++;
    }
    const setext = i < lines.length ? SETEXT.exec(lines[i]!) : null;
    if (setext) {
      out.push({ type: 'heading', level: setext[1]![0] === '=' ? 1 : 2, children: inlines(para.join('\n').trim(), depth) });
      i++;
    } else {
      out.push({ type: 'p', children: inlines(para.map((l) => l.trim()).join('\n'), depth) });
    }
  }
  return out;
}

/** list reads a list starting at lines[i] into out and returns the index after it. */
function list(lines: string[], i: number, depth: number, out: Block[]): number {
  const first = ITEM.exec(lines[i]!)!;
  const ordered = first[2] !== undefined;
  const bullet = first[1];
  const items: string[][] = [];
  while (i < lines.length) {
    const line = lines[i]!;
    const item = ITEM.exec(line);
    if (item && (item[2] !== undefined) === ordered && (ordered || item[1] === bullet)) {
      items.push([item[3] ?? '']);
      i++;
      continue;
    }
    if (isBlank(line)) {
      // A blank line inside a list goes on when the list does.
      const next = lines[i + 1];
      if (next !== undefined && (/^[ \t]+\S/.test(next) || ITEM.test(next))) {
        i++;
        continue;
      }
      break;
    }
    if (/^[ \t]+\S/.test(line) || !startsBlock(line)) {
      items[items.length - 1]!.push(line.trim());
      i++;
      continue;
    }
    break;
  }
  out.push({
    type: 'list',
    ordered,
    start: ordered ? Number(first[2]) : 1,
    items: items.map((lines) => inlines(lines.join('\n'), depth)),
  });
  return i;
}

const PUNCT = /[!-/:-@[-`{-~]/;
const URL_START = /^(https?:\/\/|mailto:)/i;

/** safeHref keeps http(s) and mailto links; anything else is no link. */
function safeHref(url: string): string {
  const u = url.trim();
  return URL_START.test(u) && !/[\s<>"]/.test(u) ? u : '';
}

/** inlines reads the text of a block into inline nodes. */
export function inlines(src: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') out.push({ type: 'text', text });
    text = '';
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && PUNCT.test(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '\n') {
      push({ type: 'br' });
      i++;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (src[i + n] === '`') n++;
      const run = '`'.repeat(n);
      let end = src.indexOf(run, i + n);
      while (end >= 0 && src[end + n] === '`') end = src.indexOf(run, end + n + 1);
      if (end >= 0) {
        let code = src.slice(i + n, end).replace(/\n/g, ' ');
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        push({ type: 'code', text: code });
        i = end + n;
      } else {
        text += run;
        i += n;
      }
      continue;
    }
    if (depth < MAX_DEPTH) {
      const span = emphasis(src, i, depth);
      if (span) {
        push(span.node);
        i = span.end;
        continue;
      }
      if (c === '[') {
        const link = bracketLink(src, i, depth);
        if (link) {
          push(link.node);
          i = link.end;
          continue;
        }
      }
    }
    if (c === '<') {
      const close = src.indexOf('>', i);
      const href = close > 0 ? safeHref(src.slice(i + 1, close)) : '';
      if (href) {
        push({ type: 'link', href, children: [{ type: 'text', text: href }] });
        i = close + 1;
        continue;
      }
    }
    if ((c === 'h' || c === 'H' || c === 'm' || c === 'M') && (i === 0 || !/[\w/]/.test(src[i - 1]!))) {
      const m = /^(?:https?:\/\/|mailto:)[^\s<>"]+/i.exec(src.slice(i, i + 2048));
      if (m) {
        const url = m[0].replace(/[.,;:!?'")\]]+$/, '');
        if (url.length > m[0].indexOf(':') + 3) {
          push({ type: 'link', href: url, children: [{ type: 'text', text: url }] });
          i += url.length;
          continue;
        }
      }
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

const DELIMS: Array<[string, 'strong' | 'em' | 'del']> = [
  ['**', 'strong'],
  ['__', 'strong'],
  ['~~', 'del'],
  ['*', 'em'],
  ['_', 'em'],
];

/** emphasis reads **strong**, *em*, _em_ or ~~del~~ at i; null when there is none. */
function emphasis(src: string, i: number, depth: number): { node: Inline; end: number } | null {
  for (const [mark, type] of DELIMS) {
    if (!src.startsWith(mark, i)) continue;
    const start = i + mark.length;
    // An opener is followed by text, and _ does not open inside a word.
    if (start >= src.length || /\s/.test(src[start]!)) return null;
    if (mark[0] === '_' && i > 0 && /\w/.test(src[i - 1]!)) return null;
    let end = src.indexOf(mark, start);
    while (end >= 0) {
      const single = mark.length === 1 && src[end + 1] === mark;
      const tight = !/\s/.test(src[end - 1]!);
      const wordAfter = mark[0] === '_' && /\w/.test(src[end + mark.length] ?? '');
      if (end > start && tight && !single && !wordAfter) break;
      end = src.indexOf(mark, end + (single ? 2 : 1));
    }
    if (end < 0) continue;
    return { node: { type, children: inlines(src.slice(start, end), depth + 1) }, end: end + mark.length };
  }
  return null;
}

/** bracketLink reads [text](url) at i; null when it is not one, or the url is not http(s) or mailto. */
function bracketLink(src: string, i: number, depth: number): { node: Inline; end: number } | null {
  let level = 0;
  let close = -1;
  for (let j = i; j < src.length; j++) {
    const ch = src[j];
    if (ch === '\\') j++;
    else if (ch === '[') level++;
    else if (ch === ']' && --level === 0) {
      close = j;
      break;
    }
  }
  if (close < 0 || src[close + 1] !== '(') return null;
  const paren = src.indexOf(')', close + 2);
  if (paren < 0) return null;
  const target = src.slice(close + 2, paren).trim().replace(/^<|>$/g, '');
  const href = safeHref(target.split(/\s+/)[0] ?? '');
  if (!href) return null;
  return { node: { type: 'link', href, children: inlines(src.slice(i + 1, close), depth + 1) }, end: paren + 1 };
}
