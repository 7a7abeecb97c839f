import type { Plugin } from 'vite';
import type { Reporter, TestModule } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The Go side embeds frontend/dist with //go:embed, so a committed
// dist/.gitkeep must exist even in a fresh clone. Vite empties dist before a
// build; this plugin puts the marker back after every build.
function keepGitkeep(outDir: string): Plugin {
  return {
    name: 'servicedesk:keep-gitkeep',
    apply: 'build',
    closeBundle() {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, '.gitkeep'), '');
    },
  };
}

// CI counts runs by a plain "N passed, N failed" line; a test file that
// fails to load counts as one failure.
const countReporter: Reporter = {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    for (const mod of testModules) {
      let tests = 0;
      for (const test of mod.children.allTests()) {
        tests++;
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
      }
      if (tests === 0 && mod.state() === 'failed') failed++;
    }
    console.log(`${passed} passed, ${failed} failed`);
  },
};

const outDir = join(import.meta.dirname, 'dist');

export default defineConfig({
  plugins: [svelte(), keepGitkeep(outDir), ...(process.env.VITEST ? [svelteTesting()] : [])],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // Wails serves the files from the binary: no inline data URLs needed by
    // the CSP, and source maps stay out of the shipped app.
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  server: {
    strictPort: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
    // CSS is left out of tests, but the theme test reads the palettes.
    css: { include: [/app\.css\?raw$/] },
    reporters: ['default', countReporter],
  },
});
