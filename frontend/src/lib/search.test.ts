import { describe, expect, it } from 'vitest';
import { FILTERS, matchParts, searchWords } from './search';

describe('searchWords', () => {
  it('keeps the free text and leaves the filters out', () => {
    expect(searchWords('refund label:billing -label:"needs info" is:open Crédit after:7d')).toEqual(['refund', 'credit']);
    expect(searchWords('from:ana@example.com')).toEqual([]);
    // An unknown prefix is text, as on the Go side.
    expect(searchWords('re:invoice')).toEqual(['re', 'invoice']);
  });
});

describe('matchParts (the search passage)', () => {
  it('marks the bracketed words the search matched', () => {
    expect(matchParts('…the [printer] jams on [Printing] day', ['print'])).toEqual([
      { text: '…the ', hit: false },
      { text: 'printer', hit: true },
      { text: ' jams on ', hit: false },
      { text: 'Printing', hit: true },
      { text: ' day', hit: false },
    ]);
  });

  it('folds case and accents as the index does', () => {
    expect(matchParts('see the [Résumé]', ['resume'])).toEqual([
      { text: 'see the ', hit: false },
      { text: 'Résumé', hit: true },
    ]);
  });

  it("keeps a passage's own brackets as text", () => {
    expect(matchParts('see [1] and [two words] for the [refund]', ['refund'])).toEqual([
      { text: 'see [1] and [two words] for the ', hit: false },
      { text: 'refund', hit: true },
    ]);
  });

  it('gives markup as text: parts are never HTML', () => {
    const parts = matchParts('<img src=x onerror=alert(1)> [refund]', ['refund']);
    expect(parts[0]).toEqual({ text: '<img src=x onerror=alert(1)> ', hit: false });
  });

  it('marks every bracketed word when the words are not known', () => {
    expect(matchParts('[a] b', [])).toEqual([
      { text: 'a', hit: true },
      { text: ' b', hit: false },
    ]);
    expect(matchParts('', ['x'])).toEqual([]);
  });
});

describe('FILTERS', () => {
  it('lists every filter the Go side reads (internal/store/querylang.go QueryHelp)', () => {
    expect(FILTERS.map((f) => f.key)).toEqual(['from:', 'label:', '-label:', 'assignee:', 'is:', 'before:', 'after:']);
    for (const f of FILTERS) expect(f.example.startsWith(f.key)).toBe(true);
  });
});
