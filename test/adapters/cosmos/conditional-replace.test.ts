// The one read → mutate → replace(IfMatch) loop of the Cosmos stores, against the embedded Cosmos
// server the test run starts: a stale copy costs a conflict and a fresh read, the mutator always
// sees the freshest copy, and a write that keeps losing ends in the typed DocumentContendedError
// (a 503 with Retry-After at the HTTP edge), leaving the document as the other writer left it.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createCosmos, type Cosmos } from '../../../shared/adapters/cosmos/client.js';
import { conditionalReplace } from '../../../shared/adapters/cosmos/conditional-replace.js';
import { readDoc } from '../../../shared/adapters/cosmos/documents.js';
import { DocumentContendedError, type Stored } from '../../../shared/ports/documents.js';
import { ticketDoc } from '../../contracts/fixtures.js';
import type { TicketDoc } from '../../../shared/booking/store.js';

let cosmos: Cosmos;
beforeAll(async () => {
  cosmos = createCosmos({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `replace-${randomBytes(4).toString('hex')}`,
    timeoutMs: 10_000,
  });
  await cosmos.ensureSchema();
});

/** A ticket stored twice: the first version's copy is stale once the second is written. */
async function staleCopy(): Promise<{ stale: Stored<TicketDoc>; current: TicketDoc }> {
  const tickets = cosmos.container('tickets');
  const t = ticketDoc();
  await tickets.items.create(t);
  const stale = (await readDoc<TicketDoc>(tickets, t.id, t.showId))!;
  const current: TicketDoc = { ...t, usedBy: 'the other writer' };
  await tickets.item(t.id, t.showId).replace(current);
  return { stale, current };
}

describe('conditionalReplace', () => {
  it('retries a stale copy on a fresh read and applies the mutator to that fresh copy', async () => {
    const { stale, current } = await staleCopy();
    const seen: (string | undefined)[] = [];
    const written = await conditionalReplace<TicketDoc>(
      cosmos.container('tickets'),
      stale.doc.id,
      stale.doc.showId,
      (t) => {
        seen.push(t.usedBy);
        return { ...t, status: 'used' };
      },
      { known: stale },
    );
    expect(seen).toEqual([undefined, 'the other writer']);
    expect(written?.doc).toEqual({ ...current, status: 'used' });
  });

  it('ends in DocumentContendedError when every attempt loses, and writes nothing', async () => {
    const { stale, current } = await staleCopy();
    const tickets = cosmos.container('tickets');
    const attempt = conditionalReplace<TicketDoc>(
      tickets,
      stale.doc.id,
      stale.doc.showId,
      (t) => ({ ...t, status: 'void' }),
      {
        known: stale,
        attempts: 1,
      },
    );
    await expect(attempt).rejects.toBeInstanceOf(DocumentContendedError);
    await expect(attempt).rejects.toMatchObject({ code: 'DOCUMENT_BUSY', retryAfter: 1 });
    expect((await readDoc<TicketDoc>(tickets, stale.doc.id, stale.doc.showId))?.doc).toEqual(current);
  });
});
