// Helpers for component tests that drive the whole page.

import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import App from '../App.svelte';
import { AppState } from '../lib/app-state.svelte';
import { ComposerStore } from '../lib/composer.svelte';
import { MacrosStore } from '../lib/macros.svelte';
import { MailStore } from '../lib/mail.svelte';
import { OutboxStore } from '../lib/outbox.svelte';
import { parseTicketKey } from '../api/types';
import { BulkStore } from '../lib/bulk.svelte';
import { OverviewStore } from '../lib/overview.svelte';
import { SavedViewsStore } from '../lib/saved-views.svelte';
import { SelectionStore } from '../lib/selection.svelte';
import { TicketsStore } from '../lib/tickets.svelte';
import { UnlinkedMailStore } from '../lib/unlinked.svelte';
import { TemplatesStore } from '../lib/templates.svelte';
import { NOW, type FakeApi } from './fixtures';

export async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await Promise.resolve();
    await tick();
  }
}

export async function renderApp(api: FakeApi): Promise<{ state: AppState; unmount: () => void }> {
  const state = new AppState(api);
  const { unmount } = render(App, { app: state });
  await settle();
  return { state, unmount };
}

/** The props of a ListPane on its own: the stores wired as AppState wires them, over api. */
export function listPaneProps(api: FakeApi) {
  const overview = new OverviewStore(api);
  const tickets = new TicketsStore(api);
  const selection = new SelectionStore(api, (key) => void tickets.markRead(parseTicketKey(key), true));
  selection.follow(tickets.list);
  const bulk = new BulkStore(api);
  tickets.subscribe((change) => {
    if (change === 'reset') bulk.forget();
  });
  return {
    overview,
    tickets,
    selection,
    bulk,
    unlinked: new UnlinkedMailStore(api),
    views: new SavedViewsStore(api),
    now: NOW,
    onaccounts: () => {},
  };
}

/** The props of a TicketPane on its own: stores over api, actions that only record. */
export function ticketPaneProps(api: FakeApi, selection: SelectionStore, mail = new MailStore(api)) {
  const composer = new ComposerStore(api);
  if (selection.openKey) void composer.open(selection.openKey);
  return {
    selection,
    mail,
    outbox: new OutboxStore(api),
    composer,
    templates: new TemplatesStore(api),
    macros: new MacrosStore(api),
    now: NOW,
    suggestions: { labels: [], assignees: [] },
    ontriage: async () => '',
    onsend: () => {},
    onundo: () => {},
    onmacro: async () => '',
    onmerge: async () => '',
  };
}

export function byTestId<T extends HTMLElement = HTMLElement>(id: string, within: ParentNode = document): T {
  const el = within.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no element with data-testid="${id}"`);
  return el;
}

/** type sets a field's value the way typing does (an input event). */
export async function type(id: string, value: string): Promise<void> {
  const el = byTestId<HTMLInputElement>(id);
  await fireEvent.input(el, { target: { value } });
  await fireEvent.change(el, { target: { value } });
  await settle();
}

/** choose picks an option of a select. */
export async function choose(id: string, value: string): Promise<void> {
  const el = byTestId<HTMLSelectElement>(id);
  el.value = value;
  await fireEvent.change(el);
  await settle();
}

export async function click(id: string, within: ParentNode = document): Promise<void> {
  byTestId(id, within).click();
  await settle();
}

export { screen };
