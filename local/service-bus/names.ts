// Service Bus entity → Azurite queue name. Azure queue names are 3-63 characters of lowercase
// letters, digits and single hyphens, starting and ending with a letter or digit, while Service Bus
// names are case-sensitive and allow `.`, `_` and `/`. The mapping is deterministic, so a restarted
// host finds its messages again:
//
//   <prefix>-<q|s|dq|ds>-<readable slug>-<8 hex of sha256(entity path)>
//
// - prefix: MARQUEE_SB_PREFIX (default `sb`), so hosts sharing one Azurite do not collide;
// - q = queue, s = topic subscription, dq/ds = their dead-letter queues;
// - the slug (lowercased, other characters → `-`, cut to fit) is only for humans reading Azurite;
// - the hash of the exact, case-preserving path (`orders`, `events/Subscriptions/audit`,
//   `…/$DeadLetterQueue`) keeps names distinct when slugs collide (`Orders` vs `orders`, `a.b` vs `a-b`).
import { createHash } from 'node:crypto';

export type EntityRef =
  { kind: 'queue'; queue: string } | { kind: 'subscription'; topic: string; subscription: string };

/** The entity's Service Bus path, as the real broker names it. */
export function entityPath(ref: EntityRef): string {
  return ref.kind === 'queue' ? ref.queue : `${ref.topic}/Subscriptions/${ref.subscription}`;
}

export function storageQueueName(prefix: string, ref: EntityRef, deadLetter = false): string {
  const path = entityPath(ref) + (deadLetter ? '/$DeadLetterQueue' : '');
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  const kind = (deadLetter ? 'd' : '') + (ref.kind === 'queue' ? 'q' : 's');
  const readable = ref.kind === 'queue' ? ref.queue : `${ref.topic}-${ref.subscription}`;
  const head = `${prefix}-${kind}-`;
  const room = 63 - head.length - 1 - hash.length;
  const slug = slugify(readable).slice(0, Math.max(0, room)).replace(/-+$/, '');
  return slug ? `${head}${slug}-${hash}` : `${head}${hash}`;
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Azure's rule for queue names, checked in tests and at start-up. */
export function isValidQueueName(name: string): boolean {
  return name.length >= 3 && name.length <= 63 && /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(name);
}
