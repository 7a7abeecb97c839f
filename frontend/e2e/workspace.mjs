// End-to-end test of the agent's workspace on the demo: views by keyboard,
// the search box's filters, the customer card, assignee and bulk labels
// landing on GitLab, working through an outage of every server (the
// sandbox's control page takes them down) and the outbox draining when they
// come back; then screenshots of the main screens in light and dark.
//
// Env: SERVICEDESK_URL, SERVICEDESK_SHOTS, and the demo sandbox's
// SANDBOX_GITLAB_URL, SANDBOX_GITLAB_TOKEN, SANDBOX_PROJECT and
// SANDBOX_CONTROL (its control_url). Prints "N passed, N failed".

import { join } from 'node:path';
import { launch, Steps, shotsDir, until as untilOn } from './lib.mjs';

const URL = process.env.SERVICEDESK_URL ?? '';
const GITLAB = process.env.SANDBOX_GITLAB_URL ?? '';
const GITLAB_TOKEN = process.env.SANDBOX_GITLAB_TOKEN ?? '';
const GITLAB_PROJECT = process.env.SANDBOX_PROJECT ?? '';
const CONTROL = process.env.SANDBOX_CONTROL ?? '';

const steps = new Steps();
const step = steps.step.bind(steps);
if (!URL || !GITLAB || !CONTROL) {
  steps.fail('setup', 'SERVICEDESK_URL, SANDBOX_GITLAB_URL or SANDBOX_CONTROL is not set');
  steps.finish(1);
}
const SHOTS = shotsDir();

const { page, pageErrors, close } = await launch();
const APP_HOST = new globalThis.URL(URL).host;
// Nothing but the app itself: the page never needs another host.
await page.route(
  (u) => u.host !== APP_HOST && (u.protocol === 'http:' || u.protocol === 'https:'),
  (route) => route.abort('blockedbyclient'),
);

/** @param {() => Promise<boolean>} cond @param {string} what @param {number} [timeout] */
const until = (cond, what, timeout) => untilOn(page, cond, what, timeout);
const rows = page.getByTestId('ticket-row');
const text = async (/** @type {import('playwright-core').Locator} */ l) => ((await l.textContent()) ?? '').trim();
const listTotal = async () => Number((await page.getByTestId('list-count').getAttribute('data-total')) || 0);
const viewCount = async (/** @type {string} */ id) =>
  Number((await page.getByTestId(`view-${id}`).getByTestId('view-count').getAttribute('data-count')) || 0);
const online = async () => (await text(page.getByTestId('status-online'))) === 'Online';

/**
 * The demo sandbox's GitLab REST API for the project.
 * @param {string} method @param {string} path @param {object} [body]
 */
async function gitlab(method, path, body) {
  const url = `${GITLAB}/api/v4/projects/${encodeURIComponent(GITLAB_PROJECT)}${path}`;
  const res = await fetch(url, {
    method,
    headers: { 'PRIVATE-TOKEN': GITLAB_TOKEN, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return res.json();
}

/** Takes every sandbox server down (true) or brings them back. @param {boolean} down */
async function outage(down) {
  const res = await fetch(`${CONTROL}/${down ? 'down' : 'up'}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`the sandbox control page answered ${res.status}`);
}

/** The iid of a row. @param {import('playwright-core').Locator} row */
const iidOf = async (row) => Number(((await row.getAttribute('data-key')) ?? ':').split(':')[1]);

try {
  await step('app opens with ticket rows', async () => {
    await page.goto(URL, { waitUntil: 'domcontentloaded' });
    await rows.first().waitFor({ timeout: 60_000 });
    return `${await listTotal()} open tickets`;
  });

  await step('g then n picks Needs reply: the list holds as many tickets as the view counts', async () => {
    await page.getByTestId('ticket-list').focus();
    await page.keyboard.press('g');
    await page.keyboard.press('n');
    await until(async () => (await page.getByTestId('view-needs_reply').getAttribute('aria-current')) !== null, 'Needs reply to be the current view');
    await until(async () => (await listTotal()) === (await viewCount('needs_reply')), 'the list total to match the count');
    return `${await listTotal()} tickets`;
  });

  await step('the search box filters by label and explains a filter it does not know', async () => {
    const box = page.getByTestId('search-input');
    await box.fill('label:billing');
    await until(async () => (await listTotal()) > 0 && (await listTotal()) < (await viewCount('needs_reply')), 'the list to narrow');
    const n = await rows.count();
    for (let i = 0; i < n; i++) {
      const chips = await rows.nth(i).locator('.chip, [data-testid="label-chip"], .label').allTextContents();
      if (!chips.some((c) => c.trim() === 'billing')) throw new Error(`row ${i} has labels ${JSON.stringify(chips)}`);
    }
    const narrowed = await listTotal();
    await box.fill('is:pending');
    const error = page.getByTestId('search-error');
    await error.waitFor();
    const sentence = await text(error);
    if (!sentence.includes('is:pending is not a filter')) throw new Error(`the error says "${sentence}"`);
    if ((await rows.count()) === 0) throw new Error('the rows went away with the error');
    await box.fill('');
    await until(async () => (await listTotal()) === (await viewCount('needs_reply')), 'the whole view back');
    await page.getByTestId('ticket-list').focus(); // the filter help closes
    return `label:billing: ${narrowed} tickets; is:pending: "${sentence}"`;
  });

  let iid = 0;
  await step('opening a ticket shows the customer card with their other tickets', async () => {
    const first = rows.first();
    iid = await iidOf(first);
    await first.click();
    const card = page.getByTestId('customer-card');
    await card.waitFor();
    const email = await text(card.getByTestId('ticket-customer').first());
    const issue = await gitlab('GET', `/issues/${iid}`);
    if (email !== issue.service_desk_reply_to) throw new Error(`the card says ${email}, GitLab ${issue.service_desk_reply_to}`);
    // Expanded, it says how long the ticket is open and lists the others.
    await page.getByTestId('customer-toggle').click();
    const openFor = await text(page.getByTestId('customer-open-for'));
    if (!/^Open for /.test(openFor)) throw new Error(`the card says "${openFor}"`);
    await page.getByTestId('customer-toggle').click();
    return `#${iid} ${email}; ${openFor}`;
  });

  await step('a changes the assignee, and GitLab has it', async () => {
    const members = /** @type {{username: string}[]} */ (await gitlab('GET', '/members/all?per_page=100'));
    const issue = await gitlab('GET', `/issues/${iid}`);
    const now = (issue.assignees ?? []).map((/** @type {{username: string}} */ a) => a.username);
    const to = members.map((m) => m.username).find((u) => !now.includes(u));
    if (!to) throw new Error('every member is assigned already');
    await page.getByTestId('ticket-title').click();
    await page.keyboard.press('a');
    const field = page.getByTestId('triage-assign-input');
    await until(async () => field.evaluate((el) => el === document.activeElement), 'the assignee field to take the focus on a');
    await field.fill(to);
    await field.press('Enter');
    await until(
      async () => ((await gitlab('GET', `/issues/${iid}`)).assignees ?? []).some((/** @type {{username: string}} */ a) => a.username === to),
      `GitLab's #${iid} to be assigned to ${to}`,
      30_000,
    );
    await until(async () => (await text(page.getByTestId('triage-assignees'))).includes(to), 'the ticket to show the new assignee');
    return `${now.join(',') || 'nobody'} -> ${to}`;
  });

  await step('two checked tickets get a label in one step, on GitLab', async () => {
    const a = rows.nth(1);
    const b = rows.nth(2);
    const iids = [await iidOf(a), await iidOf(b)];
    await a.click({ modifiers: ['Control'] });
    await b.click({ modifiers: ['Control'] });
    await page.getByTestId('bulk-bar').waitFor();
    const count = await text(page.getByTestId('bulk-count'));
    if (!count.startsWith('2 selected')) throw new Error(`the bulk bar says "${count}"`);
    await page.getByTestId('bulk-labels').click();
    const options = page.locator('[data-testid="bulk-labels-option"][data-value^="add:"]');
    await options.first().waitFor();
    // A label neither ticket has on GitLab, so both must change.
    const have = new Set();
    for (const n of iids) for (const l of (await gitlab('GET', `/issues/${n}`)).labels) have.add(l);
    const values = await options.evaluateAll((els) => els.map((el) => el.getAttribute('data-value') ?? ''));
    const value = values.find((v) => !have.has(v.slice('add:'.length)));
    if (!value) throw new Error(`no label is missing from both: ${[...have].join(', ')}`);
    const label = value.slice('add:'.length);
    await page.locator(`[data-testid="bulk-labels-option"][data-value="${value}"]`).click();
    for (const n of iids) {
      await until(async () => (await gitlab('GET', `/issues/${n}`)).labels.includes(label), `GitLab's #${n} to have "${label}"`, 30_000);
    }
    await page.keyboard.press('Escape');
    return `"${label}" on #${iids.join(', #')}`;
  });

  const offlineReply = `Replying while offline (workspace e2e ${Date.now()}).`;
  let offlineIID = 0;
  await step('with every server down the app says Offline and keeps working from its copy', async () => {
    await outage(true);
    await page.getByTestId('sync-now').click();
    await until(async () => !(await online()), 'the status bar to say Offline', 30_000);
    // Another ticket opens from the local copy, and search still answers.
    const row = rows.nth(3);
    offlineIID = await iidOf(row);
    await row.click();
    await page.getByTestId('thread-entry').first().waitFor();
    const title = await text(page.getByTestId('ticket-title'));
    await page.getByTestId('search-input').fill(title.split(/\s+/).find((w) => w.length > 4) ?? title);
    await until(async () => (await listTotal()) > 0, 'search results while offline');
    await page.getByTestId('search-input').fill('');
    await page.getByTestId('ticket-list').focus();
    // A reply is queued and waits.
    await page.getByTestId('ticket-title').click();
    await page.keyboard.press('r');
    await page.keyboard.type(offlineReply);
    await page.getByTestId('composer-input').press('Control+Enter');
    await until(async () => Number(await page.getByTestId('outbox-count').getAttribute('data-count')) >= 1, 'the outbox to count the reply');
    await page.getByTestId('view-outbox').click();
    const item = page.getByTestId('outbox-item').first();
    await item.waitFor();
    // Past its undo window it tries, fails on the network and waits to retry.
    await until(async () => ['queued', 'failed'].includes((await item.getAttribute('data-state')) ?? '') &&
      /retry|offline|network|connect|reach/i.test(await text(item.getByTestId('outbox-status'))), 'the reply to wait for the network', 40_000);
    await page.screenshot({ path: join(SHOTS, 'workspace-offline.png') });
    return `#${offlineIID} "${title}"; the outbox says "${await text(item.getByTestId('outbox-status'))}"`;
  });

  await step('back online, the outbox drains and GitLab has the reply once', async () => {
    await outage(false);
    await page.getByTestId('sync-now').click();
    await until(async () => online(), 'the status bar to say Online', 60_000);
    await until(async () => Number(await page.getByTestId('outbox-count').getAttribute('data-count')) === 0, 'the outbox to drain', 60_000);
    const notes = /** @type {{body: string}[]} */ (await gitlab('GET', `/issues/${offlineIID}/notes?per_page=100`));
    const mine = notes.filter((n) => n.body.includes(offlineReply));
    if (mine.length !== 1) throw new Error(`GitLab has the reply ${mine.length} times`);
    return `#${offlineIID} has it once`;
  });

  await step('? lists the keyboard shortcuts', async () => {
    await page.getByTestId('view-open').click();
    await rows.first().click();
    await page.getByTestId('ticket-title').click();
    await page.keyboard.press('?');
    const dialog = page.getByTestId('shortcuts-dialog');
    await dialog.waitFor();
    const n = await dialog.getByTestId('shortcut').count();
    if (n < 15) throw new Error(`only ${n} shortcuts listed`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    return `${n} shortcuts`;
  });

  steps.unblock();
  await step('screenshots of the main screens in light and dark', async () => {
    const shots = [];
    for (const scheme of /** @type {const} */ (['light', 'dark'])) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId('view-needs_reply').click();
      await rows.first().click();
      await page.getByTestId('thread-entry').first().waitFor();
      shots.push(join(SHOTS, `workspace-${scheme}-ticket.png`));
      await page.screenshot({ path: shots.at(-1) });
      await page.getByTestId('search-input').fill('refund');
      await until(async () => (await listTotal()) > 0, 'search results');
      shots.push(join(SHOTS, `workspace-${scheme}-search.png`));
      await page.screenshot({ path: shots.at(-1) });
      await page.getByTestId('search-input').fill('');
      await page.getByTestId('ticket-list').focus();
      await page.getByTestId('view-outbox').click();
      shots.push(join(SHOTS, `workspace-${scheme}-outbox.png`));
      await page.screenshot({ path: shots.at(-1) });
      await page.getByTestId('view-unlinked').click();
      await page.getByTestId('mail-list').waitFor();
      shots.push(join(SHOTS, `workspace-${scheme}-unlinked.png`));
      await page.screenshot({ path: shots.at(-1) });
      await page.getByTestId('view-open').click();
      await rows.first().waitFor();
      await page.getByTestId('ticket-list').focus();
      await page.keyboard.press('?');
      await page.getByTestId('shortcuts-dialog').waitFor();
      shots.push(join(SHOTS, `workspace-${scheme}-shortcuts.png`));
      await page.screenshot({ path: shots.at(-1) });
      await page.keyboard.press('Escape');
    }
    return `${shots.length} screenshots in ${SHOTS}`;
  });

  await step('no script errors or CSP violations', async () => {
    if (pageErrors.length > 0) throw new Error(pageErrors.join(' | '));
  });
} catch (err) {
  steps.fail('runner', err instanceof Error ? err.message : String(err));
} finally {
  await outage(false).catch(() => {});
  if (steps.failed) await page.screenshot({ path: join(SHOTS, 'workspace-failure.png') }).catch(() => {});
  await close();
}
steps.finish(0);
