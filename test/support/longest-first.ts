// The order test files start in (vitest.config.mts, sequence.sequencer). Vitest starts the files it
// timed on an earlier run longest first; a clean clone (CI) has no such record, so vitest falls back
// to the largest files first, and a long file with a short source (a browser test, the chaos run)
// could start last and keep one of the two workers busy alone at the end. Here the files that took
// 20 s or more in CI start first, longest first; the rest keep vitest's own order.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Test files that took 20 s or more in CI (2 workers), longest first. */
export const LONGEST = [
  'test/notifications/show-cancellation-200.test.ts',
  'test/waiting-room/waiting-room.test.ts',
  'test/web/waiting-room.test.ts',
  'test/booking/reconcile.test.ts',
  'test/web/booking.test.ts',
  'test/web/journey.test.ts',
  'test/chaos/chaos.test.ts',
  'test/waiting-room/instances.test.ts',
  'test/notifications/notifications.test.ts',
  'test/web/search-ops.test.ts',
  'test/partners/webhooks.test.ts',
  'test/booking/paid-means-settled.test.ts',
  'test/notifications/show-cancellation.test.ts',
  'test/host/edge.test.ts',
  'test/booking/checkout-link.test.ts',
  'test/web/pages.test.ts',
  'test/openapi/reference-page.test.ts',
  'test/web/partners.test.ts',
  'test/durable/crash.test.ts',
  'test/durable/orchestration.test.ts',
  'test/booking/webhooks.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const path = (f: TestSpecification) => relative(root, f.moduleId).split('\\').join('/');
    // Every file timed before (a developer's machine): vitest's own longest-first order is the better one.
    if (sorted.every((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${path(f)}`))) return sorted;
    const rank = (f: TestSpecification) => {
      const i = LONGEST.indexOf(path(f));
      return i < 0 ? LONGEST.length : i;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b)); // stable: the rest keep vitest's order
  }
}
