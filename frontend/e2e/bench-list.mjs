// Benchmark of the window with a large queue (not a test: it prints
// figures and asserts no timing). It starts the dev-tagged binary on a
// profile of 50,000 tickets (internal/store/storefixture), measures the cold
// start from spawning the process to an interactive list in Chromium, then
// records Chromium performance traces while the list is scrolled, at a
// fast mouse wheel's pace and in a far faster fling, and counts the frames
// each produced and dropped (wheel_* and the unprefixed figures).
//
//   BENCH_PROFILE=/path/to/profile BENCH_BIN=build/bin/servicedesk-dev node frontend/e2e/bench-list.mjs
//
// Prints one JSON line of figures (prefix "bench-list: ").

import { writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { launch, until } from './lib.mjs';

const PROFILE = process.env.BENCH_PROFILE ?? '';
const BIN = process.env.BENCH_BIN ?? 'build/bin/servicedesk-dev';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
if (!PROFILE) {
  console.error('bench-list: BENCH_PROFILE is not set');
  process.exit(2);
}

/** A free loopback port. @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
    srv.on('error', reject);
  });
}

const { page, close } = await launch();
await page.goto('about:blank');

/** One cold start: spawn → first rows painted and j moves the selection. */
async function coldStart() {
  const port = await freePort();
  const t0 = performance.now();
  const app = spawn(BIN, ['--data-dir', PROFILE], { env: { ...process.env, devserver: `127.0.0.1:${port}` }, stdio: 'ignore' });
  try {
    const url = `http://127.0.0.1:${port}/`;
    for (;;) {
      try {
        const r = await fetch(url);
        if (r.ok) break;
      } catch {
        /* not listening yet */
      }
      if (performance.now() - t0 > 30_000) throw new Error('the app did not answer in 30 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    const tServing = performance.now();
    await page.goto(url);
    await page.locator('[data-testid="ticket-row"]').first().waitFor({ state: 'visible', timeout: 30_000 });
    const tRows = performance.now();
    await page.locator('[data-testid="ticket-list"]').first().focus();
    const before = await page.locator('[data-testid="ticket-row"][aria-selected="true"]').count();
    await page.keyboard.press('j');
    await until(page, async () => (await page.locator('[data-testid="ticket-row"][aria-selected="true"]').count()) > 0 || before > 0, 'a selected row');
    const tInteractive = performance.now();
    return { serving_ms: Math.round(tServing - t0), rows_ms: Math.round(tRows - t0), interactive_ms: Math.round(tInteractive - t0), url };
  } finally {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
  }
}

/** @type {{serving_ms: number, rows_ms: number, interactive_ms: number, url: string}[]} */
const starts = [];
for (let i = 0; i < RUNS; i++) starts.push(await coldStart());

/**
 * Scrolls the list with one wheel event a frame (delta(i) px, until it
 * gives null) while Chromium traces, and counts the frames.
 * @param {import('playwright-core').CDPSession} cdp
 * @param {import('playwright-core').Locator} list
 * @param {string} name
 * @param {(i: number) => number | null} delta
 */
async function traceScroll(cdp, list, name, delta) {
  /** @type {{[key: string]: string}[]} */
  const events = [];
  const collect = (/** @type {{value: any[]}} */ e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', collect);
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'benchmark', 'cc'] },
    transferMode: 'ReportEvents',
  });
  // In-page frame timing too: requestAnimationFrame intervals while scrolling.
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__frames = [];
    w.__stop = false;
    let last = performance.now();
    /** @param {number} t */
    const tick = (t) => {
      w.__frames.push(t - last);
      last = t;
      if (!w.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const t0 = Date.now();
  for (let i = 0, d = delta(0); d !== null; d = delta(++i)) {
    await page.mouse.wheel(0, d);
    await page.waitForTimeout(16); // one frame between wheel events, as a trackpad sends them
  }
  const scrollMs = Date.now() - t0;
  const frames = await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__stop = true;
    return w.__frames.slice(1);
  });
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', collect);
  // BENCH_TRACE=FILE keeps the traces (FILE-wheel.json, FILE-fling.json), for Perfetto.
  if (process.env.BENCH_TRACE) writeFileSync(`${process.env.BENCH_TRACE}-${name}.json`, JSON.stringify({ traceEvents: events }));
  /** @param {string} n */
  const count = (n) => events.filter((e) => e.name === n).length;
  // The page's own layer tree is the newest one; earlier ones are the
  // navigation's.
  const trees = events.filter((e) => e.name === 'DroppedFrame' || e.name === 'DrawFrame').map((e) => Number(/** @type {any} */ (e.args)?.layerTreeId ?? 0));
  const tree = Math.max(0, ...trees);
  const drops = events.filter((e) => e.name === 'DroppedFrame' && Number(/** @type {any} */ (e.args)?.layerTreeId) === tree);
  const longFrames = frames.filter((/** @type {number} */ d) => d > (1000 / 60) * 1.5).length;
  return {
    scroll_ms: scrollMs,
    trace_draw_frames: count('DrawFrame'),
    trace_dropped_frames: count('DroppedFrame'),
    trace_begin_frames: count('BeginFrame'),
    // DevTools' frames track: a dropped frame showed nothing new; a
    // partially presented one moved the scroll (the compositor) without the
    // page's update of that frame (the main thread was late).
    trace_frames_dropped: drops.filter((e) => !(/** @type {any} */ (e.args)?.hasPartialUpdate)).length,
    trace_frames_partial: drops.filter((e) => /** @type {any} */ (e.args)?.hasPartialUpdate).length,
    raf_frames: frames.length,
    raf_long_frames: longFrames,
    raf_p95_ms: Math.round([...frames].sort((a, b) => a - b)[Math.floor(frames.length * 0.95)] * 10) / 10,
    final_scroll_top: Math.round(await list.evaluate((el) => el.scrollTop)),
  };
}

// Scroll with a trace: start the app once more and keep it.
const port = await freePort();
const app = spawn(BIN, ['--data-dir', PROFILE], { env: { ...process.env, devserver: `127.0.0.1:${port}` }, stdio: 'ignore' });
let scroll = {};
try {
  const url = `http://127.0.0.1:${port}/`;
  await until(page, async () => fetch(url).then((r) => r.ok, () => false), 'the app', 30_000);
  await page.goto(url);
  // The All view: every one of the 50,000 tickets.
  await page.getByTestId('view-all').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="list-count"]')?.getAttribute('data-total')) > 40000);
  // The virtual list's scrolling element.
  const list = page.locator('[data-testid="list-pane"] .viewport').first();
  await page.locator('[data-testid="ticket-row"]').first().waitFor({ state: 'visible', timeout: 30_000 });
  const box = await list.boundingBox();
  if (!box) throw new Error('no list on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const cdp = await page.context().newCDPSession(page);
  // First a mouse wheel's pace (120 px a notch, a notch a frame: 7,200 px/s,
  // a fast wheel), from the top, across page boundaries; then a fling far
  // faster than a hand (400 px a frame down, 600 back up), as a stress.
  const wheel = await traceScroll(cdp, list, 'wheel', (i) => (i < 180 ? 120 : null));
  const fling = await traceScroll(cdp, list, 'fling', (i) => (i < 120 ? 400 : i < 180 ? -600 : null));
  scroll = {
    ...fling,
    ...Object.fromEntries(Object.entries(wheel).map(([k, v]) => [`wheel_${k}`, v])),
    rows_in_dom: await page.locator('[data-testid="ticket-row"]').count(),
    placeholders_left: await page.locator('[data-testid="list-pane"] .placeholder, [data-testid="row-placeholder"]').count(),
  };
} finally {
  app.kill('SIGTERM');
  await close();
}
/** @param {'serving_ms' | 'rows_ms' | 'interactive_ms'} k */
const med = (k) => [...starts.map((s) => s[k])].sort((a, b) => a - b)[Math.floor(starts.length / 2)];
console.log(
  'bench-list: ' +
    JSON.stringify({ cold_start_runs: starts.map(({ url, ...s }) => s), interactive_median_ms: med('interactive_ms'), ...scroll }),
);
