// The search box's language as the page needs it: the filters the help
// lists (the Go side parses them: internal/store/querylang.go), the words
// of a search, and the matching passage of a row cut into text and marks.

/** One filter of the search box, as the help popover lists it. */
export interface SearchFilter {
  /** What the agent types, e.g. "label:". */
  key: string;
  /** An example to insert and show. */
  example: string;
  /** What it finds. */
  help: string;
}

/** The filters, in the order of the help. */
export const FILTERS: readonly SearchFilter[] = [
  { key: 'from:', example: 'from:ana@example.com', help: 'Mail from a customer: an address, or a part of it like example.com' },
  { key: 'label:', example: 'label:billing', help: 'Has the label; quotes keep spaces: label:"needs info"' },
  { key: '-label:', example: '-label:spam', help: 'Has not the label' },
  { key: 'assignee:', example: 'assignee:me', help: 'Assigned to a username, to me, or to none' },
  {
    key: 'is:',
    example: 'is:unread',
    help: 'open, closed, unassigned, unread, mine, needs-reply or waiting',
  },
  { key: 'before:', example: 'before:2026-11-01', help: 'Created before a date, or an age: 12h, 7d, 2w' },
  { key: 'after:', example: 'after:7d', help: 'Created after a date, or within an age: 12h, 7d, 2w' },
];

const FILTER_KEYS = new Set(['from', 'label', 'assignee', 'is', 'before', 'after']);

/** tokens splits a search at spaces outside double quotes, as the Go side does. */
function tokens(search: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of search) {
    if (ch === '"') quoted = !quoted;
    if (/\s/u.test(ch) && !quoted) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** fold is a word as the index compares it: lower case, without diacritics. */
export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** searchWords are the words of a search's free text, folded; filters (label:x) are left out. */
export function searchWords(search: string): string[] {
  const words: string[] = [];
  for (const tok of tokens(search)) {
    const colon = tok.indexOf(':');
    if (colon > 0 && FILTER_KEYS.has(tok.slice(0, colon).replace(/^-/, '').toLowerCase())) continue;
    for (const m of tok.matchAll(/[\p{L}\p{N}]+/gu)) words.push(fold(m[0]));
  }
  return words;
}

/** hasText says whether a search has free text besides its filters. */
export function hasText(search: string): boolean {
  return searchWords(search).length > 0;
}

/** One piece of a matching passage: plain text, or a matched word. */
export interface MatchPart {
  text: string;
  hit: boolean;
}

/**
 * matchParts cuts a matching passage ("…the [printer] is…") into text and
 * the words between [ and ]. Brackets count only around one word that one
 * of the search's words begins (as the index matches them), so a passage's
 * own "[1]" stays text. Without words, every bracketed word counts.
 */
export function matchParts(match: string, words: readonly string[]): MatchPart[] {
  const parts: MatchPart[] = [];
  const push = (text: string, hit: boolean) => {
    if (text === '') return;
    const last = parts[parts.length - 1];
    if (last && !last.hit && !hit) last.text += text;
    else parts.push({ text, hit });
  };
  const re = /\[([^[\]\s]+)\]/gu;
  let at = 0;
  for (const m of match.matchAll(re)) {
    const word = m[1] ?? '';
    const folded = fold(word);
    const hit = words.length === 0 || words.some((w) => folded.startsWith(w));
    push(match.slice(at, m.index), false);
    push(hit ? word : m[0], hit);
    at = m.index + m[0].length;
  }
  push(match.slice(at), false);
  return parts;
}
