// Shared parts of the end-to-end scripts (run.mjs, setup.mjs): Chromium
// launched the same way, named steps with a final "N passed, N failed" line,
// and waiting on conditions (never on fixed delays).

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const STEP_TIMEOUT = 15_000;

/** The folder screenshots go to (SERVICEDESK_SHOTS), created. */
export function shotsDir() {
  const dir = process.env.SERVICEDESK_SHOTS || join(tmpdir(), 'servicedesk-shots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Named checks. After a failure, the checks that depend on it are reported
 * as failed too, so the count says what was not verified.
 */
export class Steps {
  /** @type {{name: string, ok: boolean, detail: string}[]} */
  results = [];
  blocked = '';

  /**
   * Runs one named check.
   * @param {string} name
   * @param {() => Promise<string | void>} fn
   */
  async step(name, fn) {
    if (this.blocked) {
      this.results.push({ name, ok: false, detail: `not run: "${this.blocked}" failed` });
      console.log(`FAIL ${name} (not run: "${this.blocked}" failed)`);
      return;
    }
    try {
      const detail = (await fn()) || '';
      this.results.push({ name, ok: true, detail });
      console.log(`ok   ${name}${detail ? ` (${detail})` : ''}`);
    } catch (err) {
      const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
      this.results.push({ name, ok: false, detail });
      console.log(`FAIL ${name}: ${detail}`);
      this.blocked = name;
    }
  }

  /** Records a failure outside a step (setup, the runner itself). @param {string} name @param {string} detail */
  fail(name, detail) {
    console.log(`FAIL ${name}: ${detail}`);
    this.results.push({ name, ok: false, detail });
  }

  /** Lets the following checks run even after a failure (for independent final checks). */
  unblock() {
    this.blocked = '';
  }

  get failed() {
    return this.results.some((r) => !r.ok);
  }

  /** Prints "N passed, N failed" and exits: 0 only when all passed. @param {number} code @returns {never} */
  finish(code) {
    const passed = this.results.filter((r) => r.ok).length;
    const failed = this.results.length - passed;
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 && code === 0 ? 0 : 1);
  }
}

/**
 * Launches Chromium (CHROMIUM, default /usr/bin/chromium) with a throw-away
 * profile and any extra command-line args, and collects script errors and
 * CSP violations of the page.
 *
 * Sandboxed frames (the mail frame) stay in the page's process: in a
 * process of their own they can start loading before Playwright attaches to
 * them (a sandboxed srcdoc frame in a page's first HTML: its <img> request
 * was neither reported nor routed, and went to the network), and a check
 * that nothing leaves the page would not see it.
 * @param {{args?: string[]}} [options]
 */
export async function launch({ args = [] } = {}) {
  const browser = process.env.CHROMIUM || '/usr/bin/chromium';
  const profile = mkdtempSync(join(tmpdir(), 'servicedesk-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browser,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-features=IsolateSandboxedIframes',
      ...args,
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT);
  /** @type {string[]} */
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) pageErrors.push(msg.text());
  });
  async function close() {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  return { context, page, pageErrors, close };
}

/**
 * Waits until cond() is true, polling; throws with what it waited for.
 * @param {import('playwright-core').Page} page
 * @param {() => Promise<boolean>} cond @param {string} what @param {number} [timeout]
 */
export async function until(page, cond, what, timeout = STEP_TIMEOUT) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await page.waitForTimeout(100); // polling interval of a condition, not a fixed wait
  }
}
