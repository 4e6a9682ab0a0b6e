// Booking status reaches its owner live: a signed-in viewer's user channel gets a
// `booking` message when the saga commits confirmed, and another signed-in user watching the same
// show gets nothing about it. Real SDKs on both sides, through negotiate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebPubSubClient } from '@azure/web-pubsub-client';
import type { TestHost } from '../support/local-host.js';
import { api, bookAndPay, createShow, signIn, startBookingHost, type Caller, type TestShow } from './helpers.js';

interface Inbox {
  client: WebPubSubClient;
  messages: Record<string, unknown>[];
}

async function userChannel(host: TestHost, caller: Caller, showId: string): Promise<Inbox> {
  const messages: Record<string, unknown>[] = [];
  const client = new WebPubSubClient({
    getClientAccessUrl: async () => {
      const r = await api(host, caller, 'GET', `/api/realtime/negotiate?showId=${encodeURIComponent(showId)}`);
      if (r.status !== 200) throw new Error(`negotiate answered ${r.status}`);
      return r.body.url as string;
    },
  });
  client.on('server-message', (e) => messages.push(e.message.data as Record<string, unknown>));
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  await client.start();
  await connected;
  return { client, messages };
}

const bookingMessages = (inbox: Inbox) => inbox.messages.filter((m) => m.type === 'booking');

describe('booking status on the owner channel', () => {
  let host: TestHost;
  let show: TestShow;
  let owner: Caller;
  let other: Caller;

  beforeAll(async () => {
    host = await startBookingHost();
    const operator = await signIn(host, 'op-status', ['operator']);
    show = await createShow(host, operator, 48);
    owner = await signIn(host, 'status-owner');
    other = await signIn(host, 'status-other');
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('tells the owner, and only the owner, that the booking is confirmed', async () => {
    const mine = await userChannel(host, owner, show.showId);
    const theirs = await userChannel(host, other, show.showId);
    try {
      const booking = await bookAndPay(host, owner, show.showId, show.seats.slice(0, 2));
      const deadline = Date.now() + 10_000;
      while (!bookingMessages(mine).some((m) => m.status === 'confirmed') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const confirmed = bookingMessages(mine).find((m) => m.status === 'confirmed');
      expect(confirmed, JSON.stringify(mine.messages)).toMatchObject({
        type: 'booking',
        event: 'booking.confirmed',
        bookingId: booking.bookingId,
        showId: show.showId,
      });
      // Give a stray push time to arrive before asserting there was none.
      await new Promise((r) => setTimeout(r, 500));
      expect(bookingMessages(theirs)).toEqual([]);
      expect(JSON.stringify(theirs.messages)).not.toContain(String(booking.bookingId));
    } finally {
      mine.client.stop();
      theirs.client.stop();
    }
  });
});
