import { describe, expect, it } from 'vitest';
import { PagedList, type Page } from './paged-list.svelte';

type Row = { id: string; v: number };

/** A source of n rows whose answers wait until the test lets them go. */
class Source {
  calls: Array<{ offset: number; limit: number; resolve: () => void; reject: (e: Error) => void }> = [];
  constructor(
    public rows: Row[],
    public auto = true,
  ) {}

  static of(n: number, tag = 'r', auto = true): Source {
    return new Source(
      Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}`, v: 0 })),
      auto,
    );
  }

  fetch = (offset: number, limit: number): Promise<Page<Row>> =>
    new Promise((resolve, reject) => {
      const answer = () => resolve({ rows: this.rows.slice(offset, offset + limit), total: this.rows.length });
      this.calls.push({ offset, limit, resolve: answer, reject });
      if (this.auto) answer();
    });

  get offsets(): number[] {
    return this.calls.map((c) => c.offset);
  }
}

const list = (pageSize = 10, maxPages = 30, prefetch = 0) => new PagedList<Row>((r) => r.id, { pageSize, maxPages, prefetch });

describe('PagedList', () => {
  it('knows the total from the first page and fetches the pages a window needs, once', async () => {
    const src = Source.of(95);
    const l = list();
    expect(await l.reset(src.fetch)).toBe('');
    expect(l.total).toBe(95);
    expect(l.rowAt(9)?.id).toBe('r9');
    expect(l.rowAt(10)).toBeUndefined();

    await l.ensure(25, 42);
    expect(src.offsets).toEqual([0, 20, 30, 40]);
    expect(l.rowAt(41)?.id).toBe('r41');
    expect(l.rowAt(15)).toBeUndefined();

    // Asking again (scrolling back and forth) fetches nothing new.
    await l.ensure(20, 45);
    expect(src.offsets).toEqual([0, 20, 30, 40]);
    // The last page is short; nothing is asked past the end.
    await l.ensure(90, 200);
    expect(src.offsets).toEqual([0, 20, 30, 40, 90]);
    expect(l.rowAt(94)?.id).toBe('r94');
  });

  it('fetches ahead of the window by prefetch rows', async () => {
    const src = Source.of(100);
    const l = list(10, 30, 15);
    await l.reset(src.fetch);
    await l.ensure(40, 50);
    expect(src.offsets).toEqual([0, 20, 30, 40, 50, 60]);
  });

  it('keeps the old rows until a new source answers, and drops the answer of a source replaced meanwhile', async () => {
    const old = Source.of(30, 'old');
    const l = list();
    await l.reset(old.fetch);
    const slow = Source.of(5, 'slow', false);
    const fast = Source.of(7, 'fast', false);
    const first = l.reset(slow.fetch);
    const second = l.reset(fast.fetch);
    expect(l.resetting).toBe(true);
    expect(l.rowAt(0)?.id).toBe('old0');

    fast.calls[0]!.resolve();
    expect(await second).toBe('');
    slow.calls[0]!.resolve();
    expect(await first).toBeNull();
    expect(l.rowAt(0)?.id).toBe('fast0');
    expect(l.total).toBe(7);
    expect(l.resetting).toBe(false);
  });

  it('drops a page of the old source that lands after a reset', async () => {
    const old = Source.of(50, 'old');
    const l = list();
    await l.reset(old.fetch);
    old.auto = false;
    const late = l.ensure(20, 30);
    const next = Source.of(50, 'new');
    await l.reset(next.fetch);
    old.calls.at(-1)!.resolve();
    await late;
    expect(l.rowAt(20)).toBeUndefined();
    await l.ensure(20, 30);
    expect(l.rowAt(20)?.id).toBe('new20');
  });

  it('a failed reset says why and keeps the old source scrolling', async () => {
    const old = Source.of(40, 'old');
    const l = list();
    await l.reset(old.fetch);
    const err = await l.reset(() => Promise.reject(new Error('is:nonsense is not a filter')));
    expect(err).toBe('is:nonsense is not a filter');
    expect(l.rowAt(0)?.id).toBe('old0');
    await l.ensure(30, 35);
    expect(l.rowAt(30)?.id).toBe('old30');
  });

  it('a reload keeps the rows on screen until their fresh copies land, and drops pages off screen', async () => {
    const src = Source.of(100);
    const l = list();
    await l.reset(src.fetch);
    await l.ensure(0, 10);
    await l.ensure(50, 60);
    expect(l.rowAt(0)?.id).toBe('r0');

    // A ticket arrives at the top; the window is at 50.
    src.rows = [{ id: 'new', v: 1 }, ...src.rows];
    src.auto = false;
    const done = l.reload();
    // Page 0 is off screen: dropped. Page 5 stays on screen, as it was.
    expect(l.rowAt(0)).toBeUndefined();
    expect(l.rowAt(50)?.id).toBe('r50');
    const version = l.version;
    src.calls.at(-1)!.resolve();
    await done;
    expect(l.rowAt(50)?.id).toBe('r49');
    expect(l.total).toBe(101);
    expect(l.version).toBeGreaterThan(version);
    expect(l.indexOf('r49')).toBe(50);
  });

  it('a reload during a reset asks the new source again, not the old one', async () => {
    const old = Source.of(10, 'old');
    const l = list();
    await l.reset(old.fetch);
    const next = Source.of(10, 'new', false);
    const pending = l.reset(next.fetch);
    const reload = l.reload();
    next.calls.forEach((c) => c.resolve());
    await Promise.all([pending, reload]);
    expect(old.calls).toHaveLength(1);
    expect(next.calls).toHaveLength(2);
    expect(l.rowAt(0)?.id).toBe('new0');
  });

  it('drops pages past a list that shrank', async () => {
    const src = Source.of(30);
    const l = list();
    await l.reset(src.fetch);
    await l.ensure(0, 30);
    src.rows = src.rows.slice(0, 12);
    await l.reload();
    expect(l.total).toBe(12);
    expect(l.rowAt(25)).toBeUndefined();
    expect(l.loadedRows.map((r) => r.id)).toEqual(src.rows.map((r) => r.id));
  });

  it('keeps at most maxPages, dropping those farthest from the screen', async () => {
    const src = Source.of(1000);
    const l = list(10, 4);
    await l.reset(src.fetch);
    for (let start = 0; start <= 100; start += 10) await l.ensure(start, start + 10);
    expect(l.loadedRows).toHaveLength(40);
    expect(l.rowAt(100)?.id).toBe('r100');
    expect(l.rowAt(0)).toBeUndefined();
  });

  it('gives a row anywhere (fetching its page) and the rows between two indexes', async () => {
    const src = Source.of(500);
    const l = list();
    await l.reset(src.fetch);
    expect((await l.row(257))?.id).toBe('r257');
    expect(await l.row(500)).toBeUndefined();
    const range = await l.rowsBetween(48, 31);
    expect(range.map((r) => r.id)).toEqual(Array.from({ length: 18 }, (_, i) => `r${31 + i}`));
  });

  it('patches a row in place and says so', async () => {
    const src = Source.of(20);
    const l = list();
    await l.reset(src.fetch);
    const changes: string[] = [];
    l.subscribe((c) => changes.push(c));
    l.patch('r3', (r) => ({ ...r, v: 9 }));
    expect(l.rowAt(3)).toEqual({ id: 'r3', v: 9 });
    expect(changes).toEqual(['rows']);
    l.patch('nope', (r) => r);
    expect(changes).toEqual(['rows']);
  });

  it('a failed page says why; the rows stay', async () => {
    const src = Source.of(40);
    const l = list();
    await l.reset(src.fetch);
    src.auto = false;
    const p = l.ensure(20, 25);
    src.calls.at(-1)!.reject(new Error('database is locked'));
    await p;
    expect(l.error).toBe('database is locked');
    expect(l.rowAt(0)?.id).toBe('r0');
  });
});
