// End-to-end test of the first run and the account settings: Chromium drives
// the real frontend against the real Go bindings, on an EMPTY profile with the
// real keychain, and connects it to the sandbox's GitLab, IMAP and SMTP
// servers (plain text on 127.0.0.1, so security "none").
//
//   SERVICEDESK_URL=http://127.0.0.1:34115 SERVICEDESK_SHOTS=/tmp/shots node e2e/setup.mjs
//
// Env: SERVICEDESK_URL (required), SERVICEDESK_SHOTS, CHROMIUM, and the
// sandbox's SANDBOX_GITLAB_URL, SANDBOX_GITLAB_TOKEN, SANDBOX_PROJECT,
// SANDBOX_IMAP_ADDR (host:port), SANDBOX_IMAP_USER, SANDBOX_IMAP_PASSWORD,
// SANDBOX_SMTP_ADDR, SANDBOX_SMTP_USER, SANDBOX_SMTP_PASSWORD, SANDBOX_BRAND.
// Takes setup-first-run.png and setup-accounts.png (setup-failure.png on
// failure). Prints a final line "N passed, N failed"; exits 0 only when all
// passed.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { launch, Steps, STEP_TIMEOUT, shotsDir, until as untilOn } from './lib.mjs';

const URL = process.env.SERVICEDESK_URL ?? '';
/** The sandbox's values, by the environment variable that gives each. */
const NAMES = {
  gitlabUrl: 'SANDBOX_GITLAB_URL',
  gitlabToken: 'SANDBOX_GITLAB_TOKEN',
  project: 'SANDBOX_PROJECT',
  imapAddr: 'SANDBOX_IMAP_ADDR',
  imapUser: 'SANDBOX_IMAP_USER',
  imapPassword: 'SANDBOX_IMAP_PASSWORD',
  smtpAddr: 'SANDBOX_SMTP_ADDR',
  smtpUser: 'SANDBOX_SMTP_USER',
  smtpPassword: 'SANDBOX_SMTP_PASSWORD',
  brand: 'SANDBOX_BRAND',
};
/** @type {Record<keyof typeof NAMES, string>} */
const SANDBOX = /** @type {any} */ (Object.fromEntries(Object.entries(NAMES).map(([k, name]) => [k, process.env[name] ?? ''])));

// Wrong secrets that no page text can contain by chance.
const WRONG_TOKEN = `glpat-wrong${randomBytes(8).toString('hex')}`;
const WRONG_PASSWORD = `wrong-${randomBytes(8).toString('hex')}`;

/** Saving re-tests the connection, and a GitLab save starts the first sync. */
const SAVE_TIMEOUT = 30_000;
const FIRST_ROWS_TIMEOUT = 60_000;

const steps = new Steps();
const step = steps.step.bind(steps);

const missing = ['SERVICEDESK_URL', ...Object.values(NAMES)].filter((name) => !process.env[name]);
if (missing.length > 0) {
  steps.fail('setup', `not set: ${missing.join(', ')}`);
  steps.finish(1);
}

/** @param {string} addr @returns {{host: string, port: string}} */
function hostPort(addr) {
  const i = addr.lastIndexOf(':');
  if (i <= 0) throw new Error(`"${addr}" is not host:port`);
  return { host: addr.slice(0, i).replace(/^\[|\]$/g, ''), port: addr.slice(i + 1) };
}

const SHOTS = shotsDir();
const { page, pageErrors, close } = await launch();

/** @param {() => Promise<boolean>} cond @param {string} what @param {number} [timeout] */
const until = (cond, what, timeout = STEP_TIMEOUT) => untilOn(page, cond, what, timeout);

const byId = (/** @type {string} */ id) => page.getByTestId(id);
const form = byId('account-form');
const modal = byId('settings-modal');
const rows = byId('ticket-row');

/** The text of an element, or "" when it is not there. @param {import('playwright-core').Locator} loc */
async function textOf(loc) {
  return ((await loc.first().textContent({ timeout: 500 }).catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Presses a Test connection button and waits for its result.
 * @param {import('playwright-core').Locator} button
 * @param {import('playwright-core').Locator} result
 * @param {number} [timeout]
 */
async function runTest(button, result, timeout = SAVE_TIMEOUT) {
  await button.click();
  await until(
    async () => ['done', 'error'].includes((await result.getAttribute('data-state', { timeout: 500 }).catch(() => '')) ?? ''),
    'the connection test to answer',
    timeout,
  );
  return {
    ok: (await result.getAttribute('data-ok')) === 'true',
    problem: (await result.getAttribute('data-problem')) ?? '',
    text: await textOf(result),
  };
}

/** Tests the open form and asserts its outcome. @param {boolean} wantOk */
async function testForm(wantOk) {
  const r = await runTest(byId('form-test'), byId('form-check'));
  if (r.ok !== wantOk) throw new Error(`Test connection ${r.ok ? 'passed' : 'failed'}: "${r.text}"`);
  return r;
}

/** Presses Save and waits for the form to close, failing with the save error if one shows. */
async function saveForm() {
  await byId('form-save').click();
  let error = '';
  await until(
    async () => {
      error = await textOf(byId('form-save-error'));
      return error !== '' || (await form.count()) === 0;
    },
    'the form to save and close',
    SAVE_TIMEOUT,
  );
  if (error) throw new Error(`Save was rejected: "${error}"`);
}

/** The listed accounts of a kind, as their visible text. @param {string} kind */
async function listed(kind) {
  return page.$$eval(`[data-testid="account"][data-kind="${kind}"]`, (els) =>
    els.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim()),
  );
}

/** Picks the option of a select whose label names the sandbox project. @param {string} testid */
async function chooseProject(testid) {
  const select = byId(testid);
  const value = await select.evaluate((el, path) => {
    const options = [.../** @type {HTMLSelectElement} */ (el).options];
    return options.find((o) => !o.disabled && (o.textContent ?? '').includes(path))?.value ?? '';
  }, SANDBOX.project);
  if (!value) throw new Error(`no project option names ${SANDBOX.project}`);
  await select.selectOption(value);
  return value;
}

/** Fails when any secret appears in the page's HTML. */
async function noSecretsInPage() {
  const html = await page.content();
  const secrets = {
    'the GitLab token': SANDBOX.gitlabToken,
    'the wrong token': WRONG_TOKEN,
    'the IMAP password': SANDBOX.imapPassword,
    'the SMTP password': SANDBOX.smtpPassword,
    'the wrong password': WRONG_PASSWORD,
  };
  const found = Object.entries(secrets)
    .filter(([, v]) => v.length >= 6 && html.includes(v))
    .map(([k]) => k);
  if (found.length > 0) throw new Error(`the page's HTML contains ${found.join(' and ')}`);
  // Secret fields that are still on screen must be empty.
  const filled = await page.$$eval('input[type="password"]', (els) => els.filter((el) => /** @type {HTMLInputElement} */ (el).value !== '').length);
  if (filled > 0) throw new Error(`${filled} password field(s) still hold a value`);
  return `${html.length} characters checked`;
}

const imap = hostPort(SANDBOX.imapAddr);
const smtp = hostPort(SANDBOX.smtpAddr);

try {
  await step('app opens on the first-run panel with both actions', async () => {
    const res = await page.goto(URL, { waitUntil: 'domcontentloaded' });
    if (!res || !res.ok()) throw new Error(`GET ${URL} gave ${res ? res.status() : 'no response'}`);
    await byId('first-run').waitFor();
    await byId('first-run-demo').waitFor();
    await byId('first-run-connect').waitFor();
    if (await byId('first-run-demo').isDisabled()) throw new Error('"Try the demo" is disabled');
    if ((await rows.count()) > 0) throw new Error('ticket rows show on an empty profile');
    await page.screenshot({ path: join(SHOTS, 'setup-first-run.png') });
    return `screenshot ${join(SHOTS, 'setup-first-run.png')}`;
  });

  await step('Connect to GitLab opens the GitLab form with its defaults', async () => {
    await byId('first-run-connect').click();
    await form.waitFor();
    const kind = await form.getAttribute('data-kind');
    if (kind !== 'gitlab') throw new Error(`the form is for "${kind}"`);
    const url = await byId('field-url').inputValue();
    if (url !== 'https://gitlab.com') throw new Error(`the URL field starts as "${url}"`);
    if ((await byId('field-token').getAttribute('type')) !== 'password') throw new Error('the token field is not a password field');
  });

  await step('a wrong token fails the test with a sentence about the token', async () => {
    await byId('field-url').fill(SANDBOX.gitlabUrl);
    await byId('field-project').fill(SANDBOX.project);
    await byId('field-token').fill(WRONG_TOKEN);
    const r = await testForm(false);
    if (!/token/i.test(r.text)) throw new Error(`the failure does not mention the token: "${r.text}"`);
    return `"${r.text}" (${r.problem})`;
  });

  await step('the right token passes the test', async () => {
    await byId('field-token').fill(SANDBOX.gitlabToken);
    const r = await testForm(true);
    return `"${r.text}"`;
  });

  await step('Save closes the form, the first-run panel goes and ticket rows arrive', async () => {
    await saveForm();
    await until(async () => (await modal.count()) === 0, 'the form window to close');
    await until(async () => (await byId('first-run').count()) === 0, 'the first-run panel to go', SAVE_TIMEOUT);
    await rows.first().waitFor({ timeout: FIRST_ROWS_TIMEOUT });
    return `${await rows.count()} rows`;
  });

  await step('no secret in the page after saving the GitLab account', noSecretsInPage);

  await step('Accounts opens from the sidebar and lists the GitLab account', async () => {
    await byId('open-accounts').click();
    await byId('accounts-list').waitFor();
    await until(async () => (await listed('gitlab')).length === 1, 'one GitLab account in the list');
    const [text] = await listed('gitlab');
    if (!text?.includes(SANDBOX.project)) throw new Error(`the GitLab account reads "${text}"`);
    return `"${text}"`;
  });

  await step('a mailbox with a wrong password fails the test (auth)', async () => {
    await byId('add-imap').click();
    await form.waitFor();
    if ((await form.getAttribute('data-kind')) !== 'imap') throw new Error('the form is not the mailbox form');
    const port = await byId('field-port').inputValue();
    if (port !== '993') throw new Error(`a new mailbox starts with port ${port}, not 993`);
    await byId('field-security').selectOption('none');
    await byId('field-host').fill(imap.host);
    await byId('field-port').fill(imap.port);
    await byId('field-login').fill(SANDBOX.imapUser);
    await byId('field-password').fill(WRONG_PASSWORD);
    await chooseProject('field-project');
    const r = await testForm(false);
    if (r.problem !== 'auth') throw new Error(`the failure is "${r.problem}", not auth: "${r.text}"`);
    return `"${r.text}"`;
  });

  await step('the right password passes, and the saved mailbox is listed', async () => {
    await byId('field-password').fill(SANDBOX.imapPassword);
    const r = await testForm(true);
    await saveForm();
    await byId('accounts-list').waitFor();
    await until(async () => (await listed('imap')).some((t) => t.includes(SANDBOX.imapUser)), 'the mailbox in the list');
    return `"${r.text}"`;
  });

  await step('a sending identity passes the test and is listed', async () => {
    await byId('add-smtp').click();
    await form.waitFor();
    if ((await form.getAttribute('data-kind')) !== 'smtp') throw new Error('the form is not the identity form');
    if (!(await byId('field-delivery-smtp').isChecked())) throw new Error('a new identity does not default to SMTP delivery');
    await chooseProject('field-project');
    await byId('field-from-address').fill(SANDBOX.brand);
    await byId('field-from-name').fill('Acme Support');
    await byId('field-security').selectOption('none');
    await byId('field-host').fill(smtp.host);
    await byId('field-port').fill(smtp.port);
    await byId('field-login').fill(SANDBOX.smtpUser);
    await byId('field-password').fill(SANDBOX.smtpPassword);
    const r = await testForm(true);
    await saveForm();
    await byId('accounts-list').waitFor();
    await until(async () => (await listed('smtp')).some((t) => t.includes(SANDBOX.brand)), 'the identity in the list');
    return `"${r.text}"`;
  });

  await step('Test connection on the saved GitLab account passes', async () => {
    const card = page.locator('[data-testid="account"][data-kind="gitlab"]').first();
    const r = await runTest(card.getByTestId('account-test'), card.getByTestId('account-test-result'));
    if (!r.ok) throw new Error(`the saved account's test failed: "${r.text}"`);
    await page.screenshot({ path: join(SHOTS, 'setup-accounts.png') });
    return `"${r.text}"; screenshot ${join(SHOTS, 'setup-accounts.png')}`;
  });

  await step('no secret in the page after saving all three accounts', noSecretsInPage);

  let rotated = '';
  await step('a revoked token shows a banner that leads to Accounts', async () => {
    const res = await fetch(`${SANDBOX.gitlabUrl}/-/sandbox/rotate-token`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': SANDBOX.gitlabToken },
    });
    if (!res.ok) throw new Error(`rotating the sandbox token: ${res.status}`);
    rotated = (await res.json()).token;
    await byId('modal-close').click();
    await byId('sync-now').click();
    const banner = byId('sync-banner');
    await banner.waitFor({ timeout: SAVE_TIMEOUT });
    const kind = await banner.getAttribute('data-kind');
    const text = await textOf(byId('sync-banner-text'));
    if (kind !== 'auth' || !text.includes('refused the token')) throw new Error(`banner ${kind}: "${text}"`);
    await page.screenshot({ path: join(SHOTS, 'setup-revoked-token.png') });
    await byId('sync-banner-accounts').click();
    await modal.waitFor();
    return `"${text}"`;
  });

  await step('replacing the token in Accounts clears the banner at the next sync', async () => {
    const card = page.locator('[data-testid="account"][data-kind="gitlab"]').first();
    await card.getByTestId('account-edit').click();
    await form.waitFor();
    const field = byId('field-token');
    if ((await field.inputValue()) !== '') throw new Error('the token field shows a stored secret');
    await field.fill(rotated);
    await testForm(true);
    await saveForm();
    await byId('modal-close').click();
    await byId('sync-now').click();
    await until(async () => (await byId('sync-banner').count()) === 0, 'the banner to go after a good sync', SAVE_TIMEOUT);
    const html = await page.content();
    if (rotated && html.includes(rotated)) throw new Error("the page's HTML contains the new token");
    return await textOf(byId('status-sync'));
  });

  steps.unblock();
  await step('no script errors or CSP violations', async () => {
    if (pageErrors.length > 0) throw new Error(pageErrors.slice(0, 3).join(' | '));
  });
} catch (err) {
  steps.fail('runner', err instanceof Error ? err.message : String(err));
} finally {
  if (steps.failed) {
    await page.screenshot({ path: join(SHOTS, 'setup-failure.png') }).catch(() => {});
  }
  await close();
}

steps.finish(0);
