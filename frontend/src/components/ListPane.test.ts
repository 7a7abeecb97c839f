import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { OverviewStore } from '../lib/overview.svelte';
import { SelectionStore } from '../lib/selection.svelte';
import { TicketsStore } from '../lib/tickets.svelte';
import { FakeApi, NOW, row } from '../test/fixtures';
import ListPane from './ListPane.svelte';

async function setup(api = new FakeApi()) {
  const overview = new OverviewStore(api);
  const selection = new SelectionStore(api);
  const tickets = new TicketsStore(api, (rows) => selection.setRows(rows));
  await Promise.all([overview.load(), tickets.load()]);
  render(ListPane, { overview, tickets, selection, now: NOW, onaccounts: () => {} });
  await tick();
  return { api, overview, tickets, selection };
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

    const firstRowEl = screen.getAllByTestId('ticket-row')[1];
    api.rows = [row(9), row(1), row(2), row(3)];
    await tickets.load();
    await tick();
    expect(selectedKeys()).toEqual(['7:2']);
    // The row's element is reused, not rebuilt: nothing flickers or jumps.
    expect(screen.getAllByTestId('ticket-row')[2]).toBe(firstRowEl);
  });

  it('when the selected ticket leaves the list, the selection stays at its place', async () => {
    const { api, tickets } = await setup();
    await press('j');
    await press('j');
    api.rows = [row(1), row(3)];
    await tickets.load();
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
