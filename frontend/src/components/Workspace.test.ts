// The workspace around the ticket list, driven through the whole page:
// saved views in the left pane, counts per project, and the mail without a
// ticket with its own right pane.
import { fireEvent, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { FakeApi, mailRow, overview, row, view } from '../test/fixtures';
import { byTestId, renderApp, settle } from '../test/render';

async function typeInto(id: string, value: string) {
  await fireEvent.input(byTestId(id), { target: { value } });
  await settle();
}

describe('saved views', () => {
  it('Save as view names the search; the view appears under Your views and is shown', async () => {
    const api = new FakeApi();
    const { state } = await renderApp(api);
    await typeInto('search-input', 'label:billing is:open');
    await fireEvent.click(byTestId('search-save-view'));
    await settle();
    const dialog = byTestId('saved-view-dialog');
    expect((byTestId<HTMLInputElement>('saved-view-query')).value).toBe('label:billing is:open');
    expect(document.activeElement).toBe(byTestId('saved-view-name'));
    await typeInto('saved-view-name', 'Billing');
    await fireEvent.submit(dialog.querySelector('form')!);
    await settle();

    expect(api.viewSaves).toEqual([{ id: 0, name: 'Billing', query: 'label:billing is:open' }]);
    expect(screen.queryByTestId('saved-view-dialog')).toBeNull();
    const saved = within(byTestId('saved-views')).getByTestId('view-view:41');
    expect(saved.textContent).toContain('Billing');
    expect(saved.getAttribute('aria-current')).toBe('true');
    expect(state.tickets.view).toBe('view:41');
    // The search moved into the view: the box is empty and the list asks for the view alone.
    expect(byTestId<HTMLInputElement>('search-input').value).toBe('');
    expect(api.queries.at(-1)).toMatchObject({ view: 'view:41', search: '' });
  });

  it('a search the Go side refuses keeps the dialog open with its sentence', async () => {
    const api = new FakeApi();
    await renderApp(api);
    await typeInto('search-input', 'is:maybe');
    await fireEvent.click(byTestId('search-save-view'));
    await settle();
    api.viewResult = new Error('is:maybe is not a filter; try is:open, is:closed');
    await typeInto('saved-view-name', 'Maybe');
    await fireEvent.click(byTestId('saved-view-save'));
    await settle();
    expect(byTestId('saved-view-error').textContent).toBe('is:maybe is not a filter; try is:open, is:closed');
    expect(screen.getByTestId('saved-view-dialog')).toBeTruthy();
  });

  it('a saved view whose search no longer reads is marked and says why', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({
      views: [...overview().views, view('view:5', 'Old', 0, { query: 'is:stale', error: 'is:stale is not a filter' })],
    });
    await renderApp(api);
    const item = byTestId('view-view:5');
    expect(item.classList.contains('broken')).toBe(true);
    expect(item.getAttribute('title')).toBe('Old: is:stale is not a filter');
    expect(item.textContent).toContain('Its search no longer reads: is:stale is not a filter');
  });

  it('the count of a view whose search stopped counting says "1,000+"', async () => {
    const api = new FakeApi();
    api.savedViews = [
      { id: 3, name: 'Refunds', query: 'refund label:billing' },
      { id: 4, name: 'VIP', query: 'label:vip' },
    ];
    api.cappedViews = new Set(['view:3']);
    await renderApp(api);
    const count = (id: string) => within(byTestId(`view-${id}`)).getByTestId('view-count');
    expect(count('view:3').textContent?.trim()).toBe('3+');
    expect(count('view:3').getAttribute('aria-label')).toBe('at least 3 tickets');
    expect(count('view:4').textContent?.trim()).toBe('3');
  });

  it('its menu renames it, edits its search, and deletes it after asking', async () => {
    const api = new FakeApi();
    api.savedViews = [{ id: 3, name: 'VIP', query: 'label:vip' }];
    const { state } = await renderApp(api);
    await fireEvent.click(byTestId('view-view:3'));
    await settle();

    await fireEvent.click(byTestId('saved-view-menu'));
    await fireEvent.click(byTestId('saved-view-edit'));
    await settle();
    expect(document.activeElement).toBe(byTestId('saved-view-query'));
    await typeInto('saved-view-query', 'label:vip is:unread');
    await fireEvent.click(byTestId('saved-view-save'));
    await settle();
    expect(api.viewSaves).toEqual([{ id: 3, name: 'VIP', query: 'label:vip is:unread' }]);

    await fireEvent.click(byTestId('saved-view-menu'));
    await fireEvent.click(byTestId('saved-view-delete'));
    expect(byTestId('saved-view-actions').textContent).toContain('Delete “VIP”?');
    await fireEvent.click(byTestId('saved-view-delete-confirm'));
    await settle();
    expect(api.deletedViews).toEqual([3]);
    expect(screen.queryByTestId('saved-views')).toBeNull();
    // The view shown was the one deleted: the list goes back to All open.
    expect(state.tickets.view).toBe('open');
  });
});

describe('projects', () => {
  it('a project narrows the list and the counts to it', async () => {
    const api = new FakeApi();
    await renderApp(api);
    expect(api.overviewProjects).toEqual([0]);
    await fireEvent.click(screen.getAllByTestId('project')[0]!);
    await settle();
    expect(api.overviewProjects).toEqual([0, 7]);
    expect(api.queries.at(-1)).toMatchObject({ project_id: 7, offset: 0 });
    // A sync reloads the counts of the project shown.
    api.emitTicketsChanged({ project_ids: [7], count: 1 });
    await settle();
    expect(api.overviewProjects.at(-1)).toBe(7);
  });
});

describe('service levels', () => {
  it('lists Breach soon and Breached when the Go side counts them, red when any is late, and jumps to them with g s and g l', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({
      views: [view('needs_reply', 'Needs reply', 2), view('soon', 'Breach soon', 1), view('breached', 'Breached', 3), ...overview().views.slice(1)],
      sla: { active: true, problems: [], next_change_at: '' },
    });
    const { state } = await renderApp(api);
    const breached = within(byTestId('view-breached')).getByTestId('view-count');
    expect(breached.textContent?.trim()).toBe('3');
    expect(breached.classList.contains('attention')).toBe(true);
    await fireEvent.keyDown(document.body, { key: 'g' });
    await fireEvent.keyDown(document.body, { key: 'l' });
    await settle();
    expect(state.tickets.view).toBe('breached');
    expect(api.queries.at(-1)?.view).toBe('breached');
    await fireEvent.keyDown(document.body, { key: 'g' });
    await fireEvent.keyDown(document.body, { key: 's' });
    await settle();
    expect(state.tickets.view).toBe('soon');
  });

  it('says when the policy file does not read, with its line', async () => {
    const api = new FakeApi();
    api.overviewResult = overview({ sla: { active: false, problems: ['acme/support: .gitlab/service_desk_desktop/sla.yml:4: first_response: "1 hour" is not a duration'], next_change_at: '' } });
    await renderApp(api);
    expect(byTestId('sla-problem').textContent).toContain('sla.yml:4:');
    expect(screen.queryByTestId('view-breached')).toBeNull();
  });

  it('g r and the Reports entry show the reports', async () => {
    const { state } = await renderApp(new FakeApi());
    await fireEvent.keyDown(document.body, { key: 'g' });
    await fireEvent.keyDown(document.body, { key: 'r' });
    await settle();
    expect(state.pane).toBe('reports');
    await fireEvent.click(byTestId('view-needs_reply'));
    await settle();
    expect(state.pane).toBe('tickets');
    await fireEvent.click(byTestId('view-reports'));
    await settle();
    expect(state.pane).toBe('reports');
  });
});

describe('mail without a ticket', () => {
  async function showMail(api = new FakeApi()) {
    api.overviewResult = overview({ views: [...overview().views, view('unlinked', 'Mail without a ticket', 3)] });
    const app = await renderApp(api);
    await fireEvent.click(byTestId('view-unlinked'));
    await settle();
    return { api, ...app };
  }

  it('lists the mail, pages like the tickets, and shows one in the mail card', async () => {
    const api = new FakeApi();
    api.mails = [mailRow(1, { body: 'Where is my invoice? <script>alert(1)</script>' }), mailRow(2), mailRow(3)];
    await showMail(api);
    expect(byTestId('list-count').textContent).toBe('3 mails');
    expect(screen.queryByTestId('search-input')).toBeNull();
    expect(screen.getAllByTestId('mail-row').map((r) => r.dataset['id'])).toEqual(['m1@mail.example.com', 'm2@mail.example.com', 'm3@mail.example.com']);
    expect(byTestId('unlinked-pane').textContent).toContain('No mail selected');

    await fireEvent.click(screen.getAllByTestId('mail-row')[0]!);
    await settle();
    expect(byTestId('unlinked-subject').textContent).toBe('Question number 1');
    const body = within(byTestId('unlinked-pane')).getByTestId('entry-body');
    expect(body.textContent).toBe('Where is my invoice? <script>alert(1)</script>');
    expect(body.querySelector('script')).toBeNull();
    expect(screen.queryByTestId('ticket-pane')).toBeNull();
  });

  it("links the mail to a ticket the agent types or picks from the sender's, then shows the next", async () => {
    const api = new FakeApi();
    api.rows = [row(12, { title: 'Invoice missing' })];
    const { state } = await showMail(api);
    await fireEvent.click(screen.getAllByTestId('mail-row')[0]!);
    await settle();
    await fireEvent.click(byTestId('unlinked-link'));
    await settle();
    // The sender's tickets are offered.
    expect(api.queries.at(-1)).toMatchObject({ view: 'all', project_id: 7, search: 'from:sender1@example.com' });
    await fireEvent.click(screen.getAllByTestId('unlinked-suggestion')[0]!);
    expect(byTestId<HTMLInputElement>('unlinked-number').value).toBe('12');

    await typeInto('unlinked-number', 'twelve');
    await fireEvent.submit(byTestId('unlinked-link-form'));
    await settle();
    expect(byTestId('unlinked-error').textContent).toBe('Type the ticket’s number, e.g. 12.');
    expect(api.links).toEqual([]);

    await typeInto('unlinked-number', '#12');
    await fireEvent.submit(byTestId('unlinked-link-form'));
    await settle();
    expect(api.links).toEqual([['m1@mail.example.com', 7, 12]]);
    expect(byTestId('unlinked-done').textContent).toContain('to #12 in Support');
    expect(byTestId('unlinked-subject').textContent).toBe('Question number 2');
    expect(screen.getAllByTestId('mail-row')).toHaveLength(2);

    await fireEvent.click(byTestId('unlinked-open-ticket'));
    await settle();
    expect(state.tickets.view).toBe('open');
    expect(state.selection.openKey).toBe('7:12');
  });

  it('says why a link failed, and keeps the mail', async () => {
    const api = new FakeApi();
    api.linkResult = new Error('ticket #99 is not in acme/support');
    await showMail(api);
    await fireEvent.click(screen.getAllByTestId('mail-row')[0]!);
    await settle();
    await fireEvent.click(byTestId('unlinked-link'));
    await settle();
    await typeInto('unlinked-number', '99');
    await fireEvent.click(byTestId('unlinked-link-submit'));
    await settle();
    expect(byTestId('unlinked-error').textContent).toBe('ticket #99 is not in acme/support');
    expect(byTestId('unlinked-subject').textContent).toBe('Question number 1');
  });

  it('Set aside takes the mail off the list; Undo brings it back', async () => {
    const { api } = await showMail();
    await fireEvent.click(screen.getAllByTestId('mail-row')[1]!);
    await settle();
    await fireEvent.click(byTestId('unlinked-set-aside'));
    await settle();
    expect(api.dismissals).toEqual([['m2@mail.example.com', true]]);
    expect(screen.getAllByTestId('mail-row').map((r) => r.dataset['id'])).toEqual(['m1@mail.example.com', 'm3@mail.example.com']);
    expect(byTestId('unlinked-subject').textContent).toBe('Question number 3');

    await fireEvent.click(byTestId('unlinked-undo'));
    await settle();
    expect(api.dismissals).toEqual([
      ['m2@mail.example.com', true],
      ['m2@mail.example.com', false],
    ]);
    expect(screen.getAllByTestId('mail-row')).toHaveLength(3);
    expect(byTestId('unlinked-subject').textContent).toBe('Question number 2');
    expect(screen.queryByTestId('unlinked-done')).toBeNull();
  });

  it('j and k move in the mail, Enter shows it', async () => {
    await showMail();
    await fireEvent.keyDown(document.body, { key: 'j' });
    await fireEvent.keyDown(document.body, { key: 'j' });
    await settle();
    const selected = screen.getAllByTestId('mail-row').filter((r) => r.getAttribute('aria-selected') === 'true');
    expect(selected.map((r) => r.dataset['id'])).toEqual(['m2@mail.example.com']);
    await fireEvent.keyDown(document.body, { key: 'Enter' });
    await settle();
    expect(byTestId('unlinked-subject').textContent).toBe('Question number 2');
  });
});

describe('about', () => {
  it('the About entry shows the version and where the profile lives, and closes with Escape', async () => {
    await renderApp(new FakeApi());
    await fireEvent.click(byTestId('open-about'));
    await settle();
    expect(byTestId('about-version').textContent).toBe('v1.2.3-4-gabcdef0');
    expect(byTestId('about-dialog').textContent).toContain('/home/agent/.local/share/servicedesk');
    await fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    await settle();
    expect(screen.queryByTestId('about-dialog')).toBeNull();
  });
});
