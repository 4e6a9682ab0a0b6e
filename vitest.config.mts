import { defineConfig } from 'vitest/config';

// Unit tests run from source; end-to-end tests start the compiled local host (dist/) as a child
// process against one Azurite and one Cosmos server shared by the whole run (test/support/global-setup).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
