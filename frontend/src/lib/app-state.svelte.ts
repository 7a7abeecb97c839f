// Wires the stores together and to the Go side's events. main.ts hands it the
// real api; tests hand it fakes.

import type { Overview, SyncStatus, Ticket, TicketQuery, TicketRow, TicketsChanged } from '../api/types';
import type { FormsApi } from './account-forms.svelte';
import { AccountsStore, type AccountsApi } from './accounts.svelte';
import { Clock } from './clock.svelte';
import { DemoStore, type DemoApi } from './demo.svelte';
import { MailStore, type MailApi } from './mail.svelte';
import { OverviewStore } from './overview.svelte';
import { SettingsStore } from './settings.svelte';
import { SelectionStore } from './selection.svelte';
import { TicketsStore } from './tickets.svelte';

/** Everything the page needs from the Go side (src/api provides it). */
export interface Api extends AccountsApi, FormsApi, DemoApi, MailApi {
  getOverview(): Promise<Overview>;
  listTickets(q: TicketQuery): Promise<TicketRow[]>;
  getTicket(projectId: number, iid: number): Promise<Ticket>;
  syncNow(): Promise<void>;
  onSyncState(cb: (s: SyncStatus) => void): () => void;
  onTicketsChanged(cb: (c: TicketsChanged) => void): () => void;
}

export class AppState {
  readonly overview: OverviewStore;
  readonly tickets: TicketsStore;
  readonly selection: SelectionStore;
  readonly accounts: AccountsStore;
  readonly settings: SettingsStore;
  readonly demo: DemoStore;
  readonly mail: MailStore;
  readonly clock = new Clock();
  readonly #api: Api;

  constructor(api: Api) {
    this.#api = api;
    this.overview = new OverviewStore(api);
    this.selection = new SelectionStore(api);
    this.tickets = new TicketsStore(api, (rows) => this.selection.setRows(rows));
    this.accounts = new AccountsStore(api);
    this.settings = new SettingsStore(
      api,
      () => this.overview.projects.map((p) => p.id),
      () => this.#afterAccountChange(),
    );
    this.demo = new DemoStore(api, () => this.refresh());
    this.mail = new MailStore(api);
  }

  /** True when the profile has no account yet and the first-run panel shows. */
  get firstRun(): boolean {
    const s = this.overview.status;
    return this.overview.loaded && s !== null && !s.has_account && !s.demo;
  }

  /** removeAccount removes an account and reloads what depended on it. */
  async removeAccount(id: number): Promise<boolean> {
    const ok = await this.accounts.remove(id);
    if (ok) await this.overview.load();
    return ok;
  }

  async #afterAccountChange(): Promise<void> {
    await Promise.all([this.accounts.load(), this.refresh()]);
  }

  /** start loads everything, listens to the Go side, and returns the teardown. */
  start(): () => void {
    const stops = [
      this.#api.onSyncState((s) => this.overview.setStatus(s)),
      this.#api.onTicketsChanged((c) => void this.refresh(c.project_ids)),
      this.clock.start(),
      () => this.tickets.dispose(),
    ];
    void this.overview.load();
    void this.tickets.load();
    return () => stops.forEach((stop) => stop());
  }

  /** refresh reloads counts, the list and the open ticket after a change. */
  async refresh(projectIds: number[] = []): Promise<void> {
    await Promise.all([this.overview.load(), this.tickets.load(), this.selection.reloadOpen(projectIds)]);
  }
}
