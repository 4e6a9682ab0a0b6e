import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longest-first.js';

// Unit tests run from source; end-to-end tests start the compiled local host (dist/) as a child
// process against one Azurite and one Cosmos server shared by the whole run (test/support/global-setup).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    // expect.poll waits for something asynchronous (a page update, a message): 1 s, the default, is
    // too short on a busy 2-core CI machine running two test files at once; a poll ends as soon as it holds.
    expect: { poll: { timeout: 15_000, interval: 100 } },
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // With two workers the longest files must start first, also on a clean clone with no timings.
    sequence: { sequencer: LongestFirst },
  },
});
