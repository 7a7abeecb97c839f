// End-to-end test of the agent's workspace on the demo: views by keyboard,
// the search box's filters, the customer card, assignee and bulk labels
// landing on GitLab, a team macro applied (all of it lands) and one undone
// from the bar (none of it does), working through an outage of every server (the
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

/**
 * The first of the list's top rows (those in view) whose GitLab issue passes
 * ok, that is not one of skip and has nothing in the outbox (what the steps
 * before left there goes first); found by its key, as the list reuses its
 * row elements for other tickets as it changes.
 * @param {(issue: any) => boolean} ok @param {number[]} skip
 */
async function rowWhere(ok, skip = []) {
  for (let pos = 1; pos <= 6; pos++) {
    const at = page.locator(`[data-testid="ticket-row"][aria-posinset="${pos}"]`);
    if ((await at.count()) !== 1) continue;
    const key = (await at.getAttribute('data-key')) ?? '';
    const n = Number(key.split(':')[1]);
    if (!n || skip.includes(n) || (await at.getByTestId('ticket-row-pending').count()) > 0) continue;
    if (ok(await gitlab('GET', `/issues/${n}`))) return { row: page.locator(`[data-testid="ticket-row"][data-key="${key}"]`), iid: n };
  }
  throw new Error('none of the top rows fits');
}

/**
 * Opens the ticket of a row: clicked again when another ticket opened (the
 * list may give the row's element to another ticket between finding it and
 * the click, while a sync reorders it).
 * @param {import('playwright-core').Locator} row @param {number} n
 */
async function openRow(row, n) {
  const shown = async () => (await page.getByTestId('ticket-pane').getByText(`#${n} ·`).count()) > 0;
  for (let attempt = 1; ; attempt++) {
    await row.click();
    try {
      await until(shown, `#${n} to open`, 5000);
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** The notes of an issue whose body has text. @param {number} n @param {string} text */
async function notesWith(n, text) {
  const notes = /** @type {{body: string}[]} */ (await gitlab('GET', `/issues/${n}/notes?per_page=100`));
  return notes.filter((note) => note.body.includes(text));
}

/** The undo bar's text. */
const toastText = async () => text(page.getByTestId('send-toast-text'));

/** Opens the Macros picker's option of name (with key: by pressing m), which must be usable. @param {string} name @param {boolean} key */
async function macroOption(name, key) {
  const focus = await page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}` : 'nothing';
  });
  if (key) await page.keyboard.press('m');
  else await page.getByTestId('macros-button').click();
  const picker = page.getByTestId('macro-picker');
  await picker.waitFor().catch((err) => {
    throw new Error(`${err.message.split('\n')[0]}: no picker after ${key ? `m with the focus on ${focus}` : 'a click on Macros'}`);
  });
  await until(async () => (await picker.getByTestId('macro-option').count()) > 0 || (await picker.getByTestId('macro-empty').count()) > 0 ||
    (await picker.getByTestId('macro-load-error').count()) > 0, 'the macros to be listed').catch(async (err) => {
    throw new Error(`${err.message}; the picker says "${(await text(picker)).replace(/\s+/g, ' ')}"`);
  });
  if ((await picker.getByTestId('macro-load-error').count()) > 0) throw new Error(await text(picker.getByTestId('macro-load-error')));
  const option = picker.locator(`[data-testid="macro-option"][data-name="${name}"]`);
  if ((await option.count()) !== 1) throw new Error(`the picker lists ${JSON.stringify(await picker.getByTestId('macro-option').evaluateAll((els) => els.map((el) => el.getAttribute('data-name'))))}`);
  if ((await option.getAttribute('data-disabled')) === 'true') throw new Error(`"${name}" is disabled: ${await text(option.getByTestId('macro-problem'))}`);
  return option;
}

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

  let escalated = 0;
  await step('a macro applied in the window lands entirely on GitLab', async () => {
    const note = 'Escalated to billing, please take over.';
    const usernames = (/** @type {any} */ issue) => (issue.assignees ?? []).map((/** @type {{username: string}} */ a) => a.username);
    const { row, iid: n } = await rowWhere(
      (issue) => issue.state === 'opened' && !(issue.labels.includes('billing') && issue.labels.includes('urgent') && usernames(issue).includes('priya.natarajan')),
    );
    escalated = n;
    const before = (await notesWith(n, note)).length;
    await openRow(row, n);
    // m, with the focus on the list (not in a field), opens the picker.
    const option = await macroOption('Escalate to billing', true);
    const actions = await option.getByTestId('macro-actions').locator('span').allTextContents();
    if (!actions.includes('assign priya.natarajan')) throw new Error(`the picker lists its actions as ${JSON.stringify(actions)}`);
    await page.screenshot({ path: join(SHOTS, 'workspace-macro-picker.png') });
    await option.click();
    const toast = page.getByTestId('send-toast');
    await until(async () => (await toast.getAttribute('data-macro')) === 'Escalate to billing', 'the undo bar to follow the macro');
    const countdown = await toastText();
    if (!/^Macro "Escalate to billing": applying in \d+ s$/.test(countdown)) throw new Error(`the bar says "${countdown}"`);
    if ((await page.getByTestId('send-toast-undo').count()) !== 1) throw new Error('the bar has no Undo');
    await until(async () => Number(await page.getByTestId('outbox-count').getAttribute('data-count')) === 0, 'the outbox to drain', 60_000);
    const issue = await gitlab('GET', `/issues/${n}`);
    if (!issue.labels.includes('billing') || !issue.labels.includes('urgent')) throw new Error(`GitLab's #${n} has labels ${issue.labels.join(', ')}`);
    if (!usernames(issue).includes('priya.natarajan')) throw new Error(`GitLab's #${n} is assigned to ${usernames(issue).join(', ') || 'nobody'}`);
    const notes = (await notesWith(n, note)).length - before;
    if (notes !== 1) throw new Error(`GitLab's #${n} got the note ${notes} times`);
    return `#${n}: "${countdown}", then labels ${issue.labels.join(', ')}, assigned to ${usernames(issue).join(', ')}, the note once`;
  });

  await step('a macro undone from the bar changes nothing on GitLab', async () => {
    const { row, iid: n } = await rowWhere((issue) => issue.state === 'opened' && !issue.labels.includes('refund'), [escalated]);
    const notesBefore = (/** @type {unknown[]} */ (await gitlab('GET', `/issues/${n}/notes?per_page=100`))).length;
    await openRow(row, n);
    await (await macroOption('Refund approved', false)).click();
    const toast = page.getByTestId('send-toast');
    await until(async () => (await toast.getAttribute('data-macro')) === 'Refund approved' && (await toast.getAttribute('data-phase')) === 'countdown',
      'the undo bar to count down for the macro');
    const countdown = await toastText();
    await page.screenshot({ path: join(SHOTS, 'workspace-macro-undo-bar.png') });
    // Until then it would all have gone: nothing may reach GitLab before this, nor after.
    const due = Date.now() + Number(await toast.getAttribute('data-seconds')) * 1000;
    await page.getByTestId('send-toast-undo').click();
    await until(async () => (await toast.getAttribute('data-phase')) === 'undone', 'the bar to say the macro is undone');
    const undone = await toastText();
    await until(async () => Number(await page.getByTestId('outbox-count').getAttribute('data-count')) === 0, 'the outbox to be empty');
    // The reply's and note's texts are back in the composer, as an internal note: cleared for the steps after.
    await until(async () => (await page.getByTestId('composer').getAttribute('data-mode')) === 'note' &&
      (await page.getByTestId('composer-input').inputValue()).includes('Refund issued in Stripe.'), 'the texts to be back in the composer as a note');
    await page.getByTestId('composer-input').fill('');
    // GitLab keeps the issue as it was, past the time the macro would have left.
    const unchanged = async () => {
      const issue = await gitlab('GET', `/issues/${n}`);
      const notes = /** @type {unknown[]} */ (await gitlab('GET', `/issues/${n}/notes?per_page=100`));
      if (issue.state !== 'opened' || issue.labels.includes('refund') || notes.length !== notesBefore) {
        throw new Error(`GitLab's #${n} changed: ${issue.state}, labels ${issue.labels.join(', ')}, ${notes.length - notesBefore} new notes`);
      }
      return Date.now() > due + 5000;
    };
    await until(unchanged, 'the undo window and the outbox\'s next pass to be over', 30_000);
    return `#${n}: "${countdown}" -> "${undone}"; GitLab: still open, no refund label, no new note`;
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

  await step('g l lists the breached tickets, each late; GitLab shows one got no reply within its target', async () => {
    await page.getByTestId('view-open').click();
    await page.getByTestId('ticket-list').focus();
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await until(async () => (await page.getByTestId('view-breached').getAttribute('aria-current')) !== null, 'Breached to be the current view');
    await until(async () => (await listTotal()) > 0 && (await listTotal()) === (await viewCount('breached')), 'the list to hold the breached count');
    await rows.first().waitFor();
    const badges = await rows.evaluateAll((els) =>
      els.map((el) => {
        const b = /** @type {HTMLElement | null} */ (el.querySelector('[data-testid="ticket-row-sla"]'));
        return { key: el.getAttribute('data-key') ?? '', state: b?.dataset['state'] ?? 'none', label: b?.textContent ?? '' };
      }),
    );
    const wrong = badges.filter((b) => b.state !== 'breached');
    if (wrong.length > 0) throw new Error(`rows not late: ${JSON.stringify(wrong.slice(0, 3))}`);
    // A ticket late for its first response: on GitLab, no public answer by
    // an agent, and older than its target (1h when urgent, else 4h).
    const late = badges.find((b) => b.label.startsWith('Reply '));
    if (!late) throw new Error(`no row is late for a first response: ${JSON.stringify(badges.slice(0, 3))}`);
    const n = Number(late.key.split(':')[1]);
    const issue = await gitlab('GET', `/issues/${n}`);
    const notes = /** @type {{system: boolean, internal: boolean, body: string, author: {username: string}}[]} */ (
      await gitlab('GET', `/issues/${n}/notes?per_page=100`)
    );
    const answers = notes.filter((x) => !x.system && x.author.username !== 'support-bot' && (!x.internal || x.body.startsWith('Replied by e-mail')));
    const target = (issue.labels ?? []).includes('urgent') ? 1 : 4;
    const hours = (Date.now() - Date.parse(issue.created_at)) / 3_600_000;
    if (answers.length > 0 || hours < target) throw new Error(`#${n}: ${answers.length} answers, ${hours.toFixed(1)} h old, target ${target} h`);
    await openRow(page.locator(`[data-testid="ticket-row"][data-key="${late.key}"]`), n);
    const card = page.getByTestId('customer-card');
    await card.waitFor();
    if ((await card.getAttribute('data-open')) === 'true') await page.getByTestId('customer-toggle').click(); // the summary bar
    const summary = page.getByTestId('customer-sla');
    await summary.waitFor().catch(async (err) => {
      await page.screenshot({ path: join(SHOTS, 'workspace-breached-failed.png') });
      throw new Error(`${err.message.split('\n')[0]}: the card says "${(await text(card)).replace(/\s+/g, ' ').slice(0, 300)}"`);
    });
    if ((await summary.getAttribute('data-state')) !== 'breached') throw new Error(`the ticket's bar says ${await text(summary)}`);
    await page.getByTestId('customer-toggle').click();
    const clocks = await page.getByTestId('ticket-sla-clock').evaluateAll((els) => els.map((el) => /** @type {HTMLElement} */ (el).dataset['state']));
    await page.screenshot({ path: join(SHOTS, 'workspace-breached-ticket.png') });
    await page.getByTestId('customer-toggle').click();
    if (clocks[0] !== 'breached') throw new Error(`the first-response clock is ${clocks[0]}`);
    return `${badges.length} rows late; #${n} "${late.label}", ${hours.toFixed(0)} h without an answer (target ${target} h); clocks ${clocks.join(', ')}`;
  });

  await step('g r shows the reports: as many tickets opened in the last 30 days as GitLab has, in the project\'s business hours', async () => {
    await page.getByTestId('ticket-list').focus();
    await page.keyboard.press('g');
    await page.keyboard.press('r');
    const view = page.getByTestId('reports-view');
    await view.waitFor();
    // The project, for its calendar: the demo's sla.yml.
    const select = page.getByTestId('report-project');
    const options = await select.locator('option').evaluateAll((els) => els.map((el) => /** @type {HTMLOptionElement} */ (el).value));
    await select.selectOption(options.find((v) => v !== '0') ?? '0');
    const opened = view.locator('[data-testid="report-card"][data-card="opened"] [data-testid="report-value"]');
    await until(async () => (await text(page.getByTestId('report-measured'))).includes('Business hours'), 'the business hours line', 30_000);
    await opened.waitFor();
    const shown = Number((await text(opened)).replace(/[^0-9]/g, ''));
    // Last 30 days: today and the 29 before, local days.
    const today = new Date();
    const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29).getTime();
    const to = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1).getTime();
    let created = 0;
    for (let pageNo = 1; ; pageNo++) {
      const issues = /** @type {{created_at: string}[]} */ (await gitlab('GET', `/issues?per_page=100&page=${pageNo}&scope=all`));
      for (const is of issues) {
        const t = Date.parse(is.created_at);
        if (t >= from && t < to) created++;
      }
      if (issues.length < 100) break;
    }
    if (shown !== created) throw new Error(`the report says ${shown} opened, GitLab has ${created}`);
    const charts = await view.getByRole('img').count();
    if (charts < 3) throw new Error(`${charts} charts drawn`);
    const measured = await text(page.getByTestId('report-measured'));
    await page.getByTestId('view-open').click();
    await rows.first().waitFor();
    return `${shown} opened, as on GitLab; ${charts} charts; "${measured}"`;
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
      await page.getByTestId('view-reports').click();
      await page.locator('[data-testid="report-card"][data-card="opened"]').waitFor();
      shots.push(join(SHOTS, `workspace-${scheme}-reports.png`));
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
