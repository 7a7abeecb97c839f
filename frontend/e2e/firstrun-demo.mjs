// End-to-end test of "Try the demo": on an EMPTY profile the first-run panel
// offers the demo; choosing it switches the window to a throw-away demo
// profile whose tickets arrive through the real sync.
//
//   SERVICEDESK_URL=http://127.0.0.1:34115 node e2e/firstrun-demo.mjs
//
// Prints a final line "N passed, N failed"; exits 0 only when all passed.

import { join } from 'node:path';
import { launch, Steps, shotsDir, until as untilOn } from './lib.mjs';

const URL = process.env.SERVICEDESK_URL ?? '';
const steps = new Steps();
if (!URL) {
  steps.fail('setup', 'SERVICEDESK_URL is not set');
  steps.finish(1);
}
const SHOTS = shotsDir();
const { page, pageErrors, close } = await launch();
const until = (/** @type {() => Promise<boolean>} */ cond, /** @type {string} */ what, timeout = 60_000) =>
  untilOn(page, cond, what, timeout);

try {
  await steps.step('an empty profile opens on the first-run panel', async () => {
    await page.goto(URL, { waitUntil: 'domcontentloaded' });
    await page.getByTestId('first-run').waitFor();
    if ((await page.getByTestId('ticket-row').count()) !== 0) throw new Error('tickets on an empty profile');
  });
  await steps.step('Try the demo switches to the sandbox queue', async () => {
    await page.getByTestId('first-run-demo').click();
    await until(async () => (await page.getByTestId('ticket-row').count()) > 0, 'ticket rows from the demo');
    await page.getByTestId('status-demo').waitFor();
    if (await page.getByTestId('first-run').isVisible().catch(() => false)) throw new Error('the first-run panel is still shown');
    await page.screenshot({ path: join(SHOTS, 'firstrun-demo.png') });
    return `${await page.getByTestId('ticket-row').count()} rows`;
  });
  steps.unblock();
  await steps.step('no script errors or CSP violations', async () => {
    if (pageErrors.length > 0) throw new Error(pageErrors.slice(0, 3).join(' | '));
  });
} catch (err) {
  steps.fail('runner', err instanceof Error ? err.message : String(err));
} finally {
  if (steps.failed) await page.screenshot({ path: join(SHOTS, 'firstrun-failure.png') }).catch(() => {});
  await close();
}
steps.finish(0);
