// End-to-end test: Chromium drives the real frontend against the real Go
// bindings (the dev-tagged binary serving frontend/dist over HTTP/WebSocket).
//
//   SERVICEDESK_URL=http://127.0.0.1:34115 SERVICEDESK_SHOTS=/tmp/shots npm run e2e
//
// Env: SERVICEDESK_URL (required), SERVICEDESK_SHOTS (screenshot folder),
// CHROMIUM (browser binary, default /usr/bin/chromium), and the demo's
// sandbox GitLab as SANDBOX_GITLAB_URL, SANDBOX_GITLAB_TOKEN and
// SANDBOX_PROJECT, to check the page against GitLab and post a reply there.
// Prints a final line "N passed, N failed"; exits 0 only when all passed.

import { join } from 'node:path';
import { launch, Steps, STEP_TIMEOUT, shotsDir, until as untilOn } from './lib.mjs';

const URL = process.env.SERVICEDESK_URL ?? '';

const GITLAB = process.env.SANDBOX_GITLAB_URL ?? '';
const GITLAB_TOKEN = process.env.SANDBOX_GITLAB_TOKEN ?? '';
const GITLAB_PROJECT = process.env.SANDBOX_PROJECT ?? '';

const FIRST_ROWS_TIMEOUT = 60_000;

const steps = new Steps();
const step = steps.step.bind(steps);

if (!URL) {
  steps.fail('setup', 'SERVICEDESK_URL is not set');
  steps.finish(1);
}

const SHOTS = shotsDir();
const { page, pageErrors, close } = await launch();

const rows = page.getByTestId('ticket-row');
const selectedKeys = () =>
  page.$$eval('[data-testid="ticket-row"][aria-selected="true"]', (els) =>
    els.map((el) => /** @type {HTMLElement} */ (el).dataset.key),
  );
const rowKeys = () =>
  page.$$eval('[data-testid="ticket-row"]', (els) => els.map((el) => /** @type {HTMLElement} */ (el).dataset.key));

/** @param {() => Promise<boolean>} cond @param {string} what @param {number} [timeout] */
const until = (cond, what, timeout = STEP_TIMEOUT) => untilOn(page, cond, what, timeout);

/**
 * Calls the demo's sandbox GitLab REST API for the project.
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

let initialCount = 0;
let openedKey = '';
let openedTitle = '';

try {
  await step('app opens', async () => {
    const res = await page.goto(URL, { waitUntil: 'domcontentloaded' });
    if (!res || !res.ok()) throw new Error(`GET ${URL} gave ${res ? res.status() : 'no response'}`);
    await page.getByTestId('list-pane').waitFor();
    const title = await page.title();
    if (title !== 'Service Desk') throw new Error(`page title is "${title}"`);
  });

  await step('list shows ticket rows after the first sync', async () => {
    await rows.first().waitFor({ timeout: FIRST_ROWS_TIMEOUT });
    initialCount = await rows.count();
    return `${initialCount} rows`;
  });

  await step('views show non-zero counts', async () => {
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="view-count"]')].some(
          (el) => Number(/** @type {HTMLElement} */ (el).dataset.count) > 0,
        ),
      undefined,
      { timeout: STEP_TIMEOUT },
    );
    const counts = await page.$$eval('[data-testid="view-count"]', (els) =>
      els.map((el) => `${el.closest('button')?.dataset.testid?.replace('view-', '')}=${/** @type {HTMLElement} */ (el).dataset.count}`),
    );
    return counts.join(' ');
  });

  await step('clicking the first row opens that ticket with its thread', async () => {
    const first = rows.first();
    openedKey = (await first.getAttribute('data-key')) ?? '';
    openedTitle = ((await first.locator('.title').textContent()) ?? '').trim();
    if (!openedKey || !openedTitle) throw new Error('first row has no key or title');
    await first.click();
    await until(
      async () => ((await page.getByTestId('ticket-title').textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim() === openedTitle,
      `the right pane to show "${openedTitle}"`,
    );
    await page.getByTestId('thread-entry').first().waitFor();
    const entries = await page.getByTestId('thread-entry').count();
    const selected = await selectedKeys();
    if (selected.length !== 1 || selected[0] !== openedKey) throw new Error(`selected rows are ${JSON.stringify(selected)}`);
    return `"${openedTitle}", ${entries} thread entries`;
  });

  await step('the opened ticket is the one GitLab serves', async () => {
    if (!GITLAB || !GITLAB_TOKEN || !GITLAB_PROJECT) throw new Error('SANDBOX_GITLAB_URL, SANDBOX_GITLAB_TOKEN or SANDBOX_PROJECT is not set');
    const iid = openedKey.split(':')[1];
    const issue = await gitlab('GET', `/issues/${iid}`);
    if (issue.title !== openedTitle) throw new Error(`GitLab's #${iid} is "${issue.title}", the page shows "${openedTitle}"`);
    const customer = ((await page.getByTestId('ticket-customer').textContent()) ?? '').trim();
    if (customer !== issue.service_desk_reply_to) throw new Error(`customer "${customer}", GitLab has "${issue.service_desk_reply_to}"`);
    const notes = await gitlab('GET', `/issues/${iid}/notes?per_page=100`);
    const entries = await page.getByTestId('thread-entry').count();
    if (entries !== notes.length + 1) throw new Error(`${entries} thread entries, GitLab has the description and ${notes.length} notes`);
    return `#${iid}: title, customer and ${notes.length} notes match`;
  });

  await step('a reply posted on GitLab arrives in the open ticket after Sync now', async () => {
    const iid = openedKey.split(':')[1];
    const text = `Checked with the billing team: the fix ships today (e2e ${Date.now()}).`;
    await gitlab('POST', `/issues/${iid}/notes`, { body: text });
    await page.getByTestId('sync-now').click();
    await until(
      async () => (await page.getByTestId('entry-body').allTextContents()).some((t) => t.includes(text)),
      'the new reply in the thread',
      30_000,
    );
    await until(
      async () => ((await page.getByTestId('status-summary').textContent({ timeout: 500 }).catch(() => '')) ?? '').includes('1 updated'),
      'the status bar to say what the sync changed',
    );
    return `#${iid}`;
  });

  await step('searching a word of the title narrows the list', async () => {
    // The word of the title found in the fewest rows narrows the most.
    const word = await page.evaluate((title) => {
      const words = [...new Set(title.match(/\p{L}{4,}/gu) ?? [])];
      const texts = [...document.querySelectorAll('[data-testid="ticket-row"]')].map((el) => el.textContent?.toLowerCase() ?? '');
      let best = '';
      let bestHits = Infinity;
      for (const w of words) {
        const hits = texts.filter((t) => t.includes(w.toLowerCase())).length;
        if (hits < bestHits) [best, bestHits] = [w, hits];
      }
      return best;
    }, openedTitle);
    if (!word) throw new Error(`no word of 4+ letters in "${openedTitle}"`);
    if (initialCount < 2) throw new Error(`only ${initialCount} row: nothing to narrow`);
    await page.getByTestId('search-input').fill(word);
    await until(async () => {
      const keys = await rowKeys();
      return keys.length > 0 && keys.length < initialCount && keys.includes(openedKey);
    }, `fewer than ${initialCount} rows, still including ${openedKey}, for "${word}"`);
    const narrowed = await rows.count();
    await page.screenshot({ path: join(SHOTS, 'e2e-search.png') });
    return `"${word}": ${initialCount} -> ${narrowed} rows; screenshot ${join(SHOTS, 'e2e-search.png')}`;
  });

  await step('j and k move the selection', async () => {
    const narrowed = await rows.count();
    await page.getByTestId('search-input').fill('');
    await until(async () => (await rows.count()) > narrowed, 'the full list to come back');
    const keys = await rowKeys();
    const start = keys.indexOf(openedKey);
    if (start < 0) throw new Error(`${openedKey} is no longer in the list`);
    // Leave the search box so the keys are shortcuts, not text.
    await page.getByTestId('search-input').press('Escape');
    await page.getByTestId('search-input').blur();

    const down = start + 1 < keys.length ? 1 : -1;
    await page.keyboard.press(down === 1 ? 'j' : 'k');
    const moved = keys[start + down];
    await until(async () => JSON.stringify(await selectedKeys()) === JSON.stringify([moved]), `selection on ${moved}`);
    await page.keyboard.press(down === 1 ? 'k' : 'j');
    await until(async () => JSON.stringify(await selectedKeys()) === JSON.stringify([openedKey]), `selection back on ${openedKey}`);
    await page.screenshot({ path: join(SHOTS, 'e2e-final.png') });
    return `${openedKey} -> ${moved} -> ${openedKey}`;
  });

  steps.unblock();
  await step('no script errors or CSP violations', async () => {
    if (pageErrors.length > 0) throw new Error(pageErrors.slice(0, 3).join(' | '));
  });
} catch (err) {
  steps.fail('runner', err instanceof Error ? err.message : String(err));
} finally {
  if (steps.failed) {
    await page.screenshot({ path: join(SHOTS, 'e2e-failure.png') }).catch(() => {});
  }
  await close();
}

steps.finish(0);
