import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { FakeApi, NOW, overview, row } from '../test/fixtures';
import { listPaneProps, settle } from '../test/render';
import ListPane from './ListPane.svelte';

async function setup(api = new FakeApi()) {
  const props = listPaneProps(api);
  await Promise.all([props.overview.load(), props.tickets.load()]);
  render(ListPane, props);
  await tick();
  return { api, ...props };
}

const selectedKeys = () =>
  screen
    .getAllByTestId('ticket-row')
    .filter((r) => r.getAttribute('aria-selected') === 'true')
    .map((r) => r.dataset['key']);

async function press(key: string, target: Element = document.body) {
  await fireEvent.keyDown(target, { key });
}

describe('list keyboard navigation', () => {
  it('j and k move the selection, clamped at both ends', async () => {
    await setup();
    expect(selectedKeys()).toEqual([]);

    await press('j');
    expect(selectedKeys()).toEqual(['7:1']);
    await press('j');
    await press('j');
    await press('j');
    expect(selectedKeys()).toEqual(['7:3']);
    await press('k');
    expect(selectedKeys()).toEqual(['7:2']);
    await press('k');
    await press('k');
    expect(selectedKeys()).toEqual(['7:1']);
  });

  it('Enter opens the selected ticket, and only then', async () => {
    const { api, selection } = await setup();
    await press('Enter');
    expect(api.opened).toEqual([]);

    await press('j');
    await press('j');
    await press('Enter');
    expect(api.opened).toEqual([[7, 2]]);
    expect(selection.openKey).toBe('7:2');
  });

  it('/ focuses the search box, and letters typed there do not move the selection', async () => {
    await setup();
    await press('/');
    const input = screen.getByTestId('search-input');
    expect(document.activeElement).toBe(input);

    await press('j', input);
    expect(selectedKeys()).toEqual([]);
  });

  it('arrow keys move the selection while the list has focus', async () => {
    await setup();
    const list = screen.getByTestId('ticket-list');
    list.focus();
    await press('ArrowDown', list);
    await press('ArrowDown', list);
    expect(selectedKeys()).toEqual(['7:2']);
    expect(list.getAttribute('aria-activedescendant')).toBe('ticket-7:2');
    await press('ArrowUp', list);
    expect(selectedKeys()).toEqual(['7:1']);
  });

  it('a click opens the row; a reload keeps the selection on the same ticket', async () => {
    const { api, tickets } = await setup();
    await fireEvent.click(screen.getByText('Ticket number 2'));
    expect(api.opened).toEqual([[7, 2]]);
    expect(selectedKeys()).toEqual(['7:2']);

    const before = screen.getAllByTestId('ticket-row');
    api.rows = [row(9), row(1), row(2), row(3)];
    await tickets.reload();
    await tick();
    expect(selectedKeys()).toEqual(['7:2']);
    // The rows' elements are refilled in place, not rebuilt: nothing flickers.
    const after = screen.getAllByTestId('ticket-row');
    expect(after.map((r) => r.dataset['key'])).toEqual(['7:9', '7:1', '7:2', '7:3']);
    before.forEach((el, i) => expect(after[i]).toBe(el));
  });

  it('when the selected ticket leaves the list, the selection stays at its place', async () => {
    const { api, tickets } = await setup();
    await press('j');
    await press('j');
    api.rows = [row(1), row(3)];
    await tickets.reload();
    await tick();
    expect(selectedKeys()).toEqual(['7:3']);
  });
});

describe('row presentation', () => {
  it('marks needs-reply and dims closed tickets, shows chips and the assignee', async () => {
    const api = new FakeApi();
    api.rows = [
      row(1, { needs_reply: true, labels: ['billing'], assignees: ['bob'] }),
      row(2, { state: 'closed' }),
    ];
    await setup(api);
    const [a, b] = screen.getAllByTestId('ticket-row');
    expect(a!.classList.contains('needs-reply')).toBe(true);
    expect(a!.textContent).toContain('Needs reply.');
    expect(a!.querySelector('.chip')?.textContent).toBe('billing');
    expect(a!.textContent).toContain('bob');
    expect(a!.textContent).toContain('1h');
    expect(b!.classList.contains('closed')).toBe(true);
    expect(b!.textContent).toContain('Unassigned');
  });
});

const HOUR = 3_600_000;
const rowEl = (key: string) => screen.getAllByTestId('ticket-row').find((r) => r.dataset['key'] === key)!;
const scroller = () => screen.getByTestId('ticket-list').parentElement!;

async function scrollTo(top: number) {
  const el = scroller();
  el.scrollTop = top;
  await fireEvent.scroll(el);
  await settle();
}

describe('the virtual list', () => {
  it('renders only the rows on screen of 50,000, and placeholders where pages have not arrived', async () => {
    const api = new FakeApi();
    api.rows = Array.from({ length: 50_000 }, (_, i) => row(i + 1));
    await setup(api);
    expect(screen.getByTestId('list-count').textContent).toBe('50,000 tickets');
    const rendered = screen.getAllByTestId('ticket-row');
    expect(rendered.length).toBeGreaterThan(5);
    expect(rendered.length).toBeLessThan(40);
    // The list is as tall as all its rows.
    expect(screen.getByTestId('ticket-list').style.height).toBe(`${50_000 * 5.6 * 16}px`);

    // Pages past the first wait until the test lets them go.
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const answer = api.listTickets.bind(api);
    api.listTickets = async (q) => {
      if (q.offset > 0) await gate;
      return answer(q);
    };
    const el = scroller();
    el.scrollTop = 30_000 * 5.6 * 16;
    await fireEvent.scroll(el);
    await settle();
    expect(screen.getAllByTestId('row-placeholder').length).toBeGreaterThan(5);
    release();
    await settle();
    expect(screen.queryAllByTestId('row-placeholder')).toEqual([]);
    expect(rowEl('7:30001').getAttribute('aria-posinset')).toBe('30001');
    expect(api.queries.map((q) => q.offset)).toContain(30_000);
  });

  it('refills its rows as it scrolls: the rows that stay keep their elements, no element is built', async () => {
    const api = new FakeApi();
    api.rows = Array.from({ length: 300 }, (_, i) => row(i + 1));
    await setup(api);
    const rowHeight = 5.6 * 16;
    await scrollTo(100 * rowHeight);
    const before = screen.getAllByTestId('ticket-row');
    const was = new Map(before.map((el) => [el.dataset['key'], el]));
    await scrollTo(103 * rowHeight);
    const after = screen.getAllByTestId('ticket-row');
    expect(after.every((el) => before.includes(el))).toBe(true);
    const places = after.map((el) => Number(el.getAttribute('aria-posinset'))).sort((a, b) => a - b);
    expect(places).toEqual(Array.from({ length: 22 }, (_, i) => 98 + i));
    for (let n = 98; n <= 115; n++) expect(rowEl(`7:${n}`)).toBe(was.get(`7:${n}`));
    expect(rowEl('7:118').textContent).toContain('Ticket number 118');
  });

  it('keeps the rows on screen in place when a ticket arrives above them', async () => {
    const api = new FakeApi();
    api.rows = Array.from({ length: 300 }, (_, i) => row(i + 1));
    const { tickets } = await setup(api);
    const rowHeight = 5.6 * 16;
    await scrollTo(50 * rowHeight);
    api.rows = [row(999), ...api.rows];
    await tickets.reload();
    await settle();
    expect(scroller().scrollTop).toBeCloseTo(51 * rowHeight);
  });

  it('shows new tickets when the list is at its top', async () => {
    const { api, tickets } = await setup();
    api.rows = [row(9), row(1), row(2), row(3)];
    await tickets.reload();
    await settle();
    expect(scroller().scrollTop).toBe(0);
    expect(screen.getAllByTestId('ticket-row')[0]!.dataset['key']).toBe('7:9');
  });
});

describe('row columns', () => {
  it("marks the search's matched words as text, never as HTML", async () => {
    vi.useFakeTimers();
    try {
      const api = new FakeApi();
      api.rows = [row(1, { match: '<img src=x onerror="alert(1)"> the [refund] of [1] order' })];
      const { tickets } = await setup(api);
      tickets.setSearch('refund');
      await vi.advanceTimersByTimeAsync(200);
      const snippet = within(rowEl('7:1')).getByTestId('ticket-row-snippet');
      expect([...snippet.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['refund']);
      expect(snippet.querySelector('img')).toBeNull();
      expect(snippet.textContent).toBe('<img src=x onerror="alert(1)"> the refund of [1] order');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows how long the customer waits, louder past a day, and unread tickets in bold with a dot', async () => {
    const api = new FakeApi();
    api.rows = [
      row(1, { waiting_since: new Date(NOW - 3 * HOUR).toISOString(), unread: true }),
      row(2, { waiting_since: new Date(NOW - 30 * HOUR).toISOString() }),
      row(3),
    ];
    await setup(api);
    const w1 = within(rowEl('7:1')).getByTestId('ticket-row-waiting');
    expect(w1.textContent).toBe('waiting 3h');
    expect(w1.dataset['late']).toBe('false');
    expect(within(rowEl('7:2')).getByTestId('ticket-row-waiting').dataset['late']).toBe('true');
    expect(within(rowEl('7:3')).queryByTestId('ticket-row-waiting')).toBeNull();
    expect(rowEl('7:1').classList.contains('unread')).toBe(true);
    expect(rowEl('7:1').textContent).toContain('Unread.');
    expect(rowEl('7:2').classList.contains('unread')).toBe(false);
  });

  it('shows the service-level clock due first, amber when soon and red when late', async () => {
    const api = new FakeApi();
    const at = (min: number) => new Date(NOW + min * 60000).toISOString();
    api.rows = [
      row(1, { sla: { clock: 'first_response', soon_at: at(60), due_at: at(180) } }),
      row(2, { sla: { clock: 'resolution', soon_at: at(-5), due_at: at(20) } }),
      row(3, { sla: { clock: 'first_response', soon_at: at(-90), due_at: at(-40) } }),
      row(4, { sla: null }),
      row(5, { state: 'closed', sla: { clock: 'first_response', soon_at: '', due_at: at(-40) } }),
    ];
    await setup(api);
    const badge = (key: string) => within(rowEl(key)).queryByTestId('ticket-row-sla');
    expect(badge('7:1')?.dataset['state']).toBe('ok');
    expect(badge('7:1')?.textContent).toContain('Reply in 3h');
    expect(badge('7:2')?.dataset['state']).toBe('soon');
    expect(badge('7:2')?.textContent).toContain('Resolve in 20m');
    expect(badge('7:3')?.dataset['state']).toBe('breached');
    expect(badge('7:3')?.textContent).toContain('Reply 40m late');
    expect(badge('7:4')).toBeNull();
    expect(badge('7:5')).toBeNull();
  });

  it('offers the SLA order only where a policy runs clocks', async () => {
    await setup();
    const none = screen.getByTestId('sort-select') as HTMLSelectElement;
    expect([...none.options].map((o) => o.value)).not.toContain('due');
    cleanup();
    const api = new FakeApi();
    api.overviewResult = overview({ sla: { active: true, problems: [], next_change_at: '' } });
    await setup(api);
    const select = screen.getByTestId('sort-select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toContain('due');
  });

  it('the order menu asks for the list in that order, from the top', async () => {
    const { api } = await setup();
    const select = screen.getByTestId('sort-select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Latest activity', 'Newest', 'Oldest', 'Waiting longest']);
    select.value = 'waiting';
    await fireEvent.change(select);
    await settle();
    expect(api.queries.at(-1)).toMatchObject({ sort: 'waiting', offset: 0 });
  });
});

describe('checking tickets for a change of all of them', () => {
  it('a click on the box, Ctrl-click and x toggle; Shift-click checks a range; the bar replaces the header', async () => {
    const api = new FakeApi();
    api.rows = Array.from({ length: 8 }, (_, i) => row(i + 1));
    await setup(api);
    await fireEvent.click(rowEl('7:2').querySelector('[data-check]')!);
    expect(screen.getByTestId('bulk-count').textContent).toContain('1 selected');
    expect(screen.queryByTestId('search-input')).toBeNull();
    expect(api.opened).toEqual([]);

    await fireEvent.click(rowEl('7:5'), { shiftKey: true });
    await settle();
    expect(screen.getByTestId('bulk-count').textContent).toContain('4 selected');
    await fireEvent.click(rowEl('7:3'), { ctrlKey: true });
    expect(screen.getByTestId('bulk-count').textContent).toContain('3 selected');
    expect(rowEl('7:3').getAttribute('aria-checked')).toBe('false');
    expect(rowEl('7:4').getAttribute('aria-checked')).toBe('true');

    await press('j');
    await press('x');
    expect(screen.getByTestId('bulk-count').textContent).toContain('4 selected');
    await press('Escape');
    expect(screen.queryByTestId('bulk-bar')).toBeNull();
    expect(screen.getByTestId('search-input')).toBeTruthy();
  });

  it('Close sends the change, says what it did and clears; a failure is said', async () => {
    const api = new FakeApi();
    api.rows = [row(1), row(2, { state: 'closed' }), row(3)];
    await setup(api);
    await fireEvent.click(rowEl('7:1').querySelector('[data-check]')!);
    await fireEvent.click(rowEl('7:3').querySelector('[data-check]')!);
    expect(screen.queryByTestId('bulk-reopen')).toBeNull();
    await fireEvent.click(screen.getByTestId('bulk-close'));
    await settle();
    expect(api.bulks).toEqual([
      { tickets: [{ project_id: 7, iid: 1 }, { project_id: 7, iid: 3 }], add_labels: [], remove_labels: [], assignees: null, state: 'close' },
    ]);
    expect(screen.queryByTestId('bulk-bar')).toBeNull();
    expect(screen.getByTestId('bulk-result').textContent).toContain('Closing 2 tickets.');

    api.bulkResult = new Error('1 of 1 tickets were not changed: #2: the ticket is gone');
    await fireEvent.click(rowEl('7:2').querySelector('[data-check]')!);
    await fireEvent.click(screen.getByTestId('bulk-reopen'));
    await settle();
    const result = screen.getByTestId('bulk-result');
    expect(result.getAttribute('role')).toBe('alert');
    expect(result.textContent).toContain('#2: the ticket is gone');
  });

  it("labels to add come from the project's, those to remove from the tickets', in one menu", async () => {
    const api = new FakeApi();
    api.rows = [row(1, { labels: ['vip'] }), row(2)];
    await setup(api);
    await fireEvent.click(rowEl('7:1').querySelector('[data-check]')!);
    await fireEvent.click(screen.getByTestId('bulk-labels'));
    await settle();
    const menu = screen.getByTestId('bulk-labels-menu');
    expect([...menu.querySelectorAll('.group')].map((g) => g.textContent)).toEqual(['Add', 'Remove']);
    const options = () => screen.getAllByTestId('bulk-labels-option');
    expect(options().map((o) => o.dataset['value'])).toEqual(['add:billing', 'remove:vip']);
    await fireEvent.click(options()[1]!);
    await settle();
    expect(api.bulks[0]).toMatchObject({ add_labels: [], remove_labels: ['vip'], tickets: [{ project_id: 7, iid: 1 }] });

    // The filter narrows the menu; Enter picks the first left.
    await fireEvent.click(rowEl('7:2').querySelector('[data-check]')!);
    await fireEvent.click(screen.getByTestId('bulk-labels'));
    await settle();
    const filter = within(screen.getByTestId('bulk-labels-menu')).getByRole('textbox');
    await fireEvent.input(filter, { target: { value: 'bil' } });
    await fireEvent.keyDown(filter, { key: 'Enter' });
    await settle();
    expect(api.bulks[1]).toMatchObject({ add_labels: ['billing'], tickets: [{ project_id: 7, iid: 2 }] });
  });
});

describe('unread', () => {
  it('u marks the cursor ticket unread, and the row shows it at once', async () => {
    const { api } = await setup();
    await press('j');
    await press('u');
    await settle();
    expect(api.reads).toEqual([[7, 1, false]]);
    expect(rowEl('7:1').dataset['unread']).toBe('true');
  });

  it('opening a ticket marks it read', async () => {
    const api = new FakeApi();
    api.rows = [row(1, { unread: true }), row(2)];
    await setup(api);
    await fireEvent.click(screen.getByText('Ticket number 1'));
    await settle();
    expect(api.reads).toEqual([[7, 1, true]]);
    expect(rowEl('7:1').dataset['unread']).toBe('false');
  });
});

describe('the search box', () => {
  it('lists the filters while focused and empty, and on the ? button; a click puts one in the box', async () => {
    await setup();
    expect(screen.queryByTestId('search-help')).toBeNull();
    const input = screen.getByTestId('search-input') as HTMLInputElement;
    await fireEvent.focus(input);
    const help = screen.getByTestId('search-help');
    expect([...help.querySelectorAll('code')].map((c) => c.textContent)).toEqual([
      'from:ana@example.com',
      'label:billing',
      '-label:spam',
      'assignee:me',
      'is:unread',
      'before:2026-11-01',
      'after:7d',
    ]);
    await fireEvent.click(screen.getAllByTestId('search-filter').find((b) => b.dataset['key'] === 'label:')!);
    await settle();
    expect(input.value).toBe('label:');
    expect(screen.queryByTestId('search-help')).toBeNull();

    await fireEvent.blur(input);
    await fireEvent.click(screen.getByTestId('search-help-button'));
    expect(screen.getByTestId('search-help')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('search-help-button'));
    expect(screen.queryByTestId('search-help')).toBeNull();
  });

  it("says under the box why the Go side refused a search, and keeps the rows", async () => {
    vi.useFakeTimers();
    try {
      const api = new FakeApi();
      api.searchResult = new Error('before:soon: not a date or an age; write 2026-11-01 or 7d (also h, w, m, y)');
      await setup(api);
      await fireEvent.input(screen.getByTestId('search-input'), { target: { value: 'before:soon' } });
      await vi.advanceTimersByTimeAsync(200);
      const err = screen.getByTestId('search-error');
      expect(err.textContent).toBe('before:soon: not a date or an age; write 2026-11-01 or 7d (also h, w, m, y)');
      expect(err.getAttribute('role')).toBe('alert');
      expect(screen.getByTestId('search-input').getAttribute('aria-invalid')).toBe('true');
      expect(screen.getAllByTestId('ticket-row')).toHaveLength(3);
      expect(screen.queryByTestId('list-error')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('offers to save a search as a view while the box has text', async () => {
    const { views } = await setup();
    expect(screen.queryByTestId('search-save-view')).toBeNull();
    await fireEvent.input(screen.getByTestId('search-input'), { target: { value: 'label:billing is:open' } });
    await fireEvent.click(screen.getByTestId('search-save-view'));
    expect(views.draft).toMatchObject({ id: 0, name: '', query: 'label:billing is:open' });
  });
});

describe('the unread dot', () => {
  it('a click on it marks the ticket unread, and read again', async () => {
    const { api } = await setup();
    await fireEvent.click(rowEl('7:2').querySelector('[data-toggle-read]')!);
    await settle();
    expect(rowEl('7:2').dataset['unread']).toBe('true');
    await fireEvent.click(rowEl('7:2').querySelector('[data-toggle-read]')!);
    await settle();
    expect(api.reads).toEqual([
      [7, 2, false],
      [7, 2, true],
    ]);
    expect(rowEl('7:2').dataset['unread']).toBe('false');
    // Neither click opened the ticket.
    expect(api.opened).toEqual([]);
  });
});
