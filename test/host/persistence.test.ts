// Data that survives a crash: a host started as `npm start` starts it (its own Azurite and Cosmos
// server, state in its data folder — a temporary one here), a booking paid and another held, then
// SIGKILL of the host and of the Cosmos server, and a start on the same folder: the paid booking is
// still confirmed with the same tickets, which still admit at the door, and its saga is as it was; its
// seats and the held booking's seat still read taken; the held booking's saga and payment session are
// still there, and paying now confirms it.
// Azurite is not killed with the host: it sees its parent die and stops, saving its files (it
// writes them every 5 s otherwise), and the restarted host waits for it to exit before it starts its
// own on the folder (local/README.md, Data folder). The sagas here are written in the last seconds
// before the kill: they are lost whenever that save does not happen.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startHost, type TestHost } from '../support/local-host.js';
import { api, book, checkout, createShow, signIn, statusIs, waitForBooking } from '../booking/helpers.js';

let host: TestHost | undefined;
afterAll(async () => {
  await host?.stop();
});

/** The processes the host started (Azurite, the Cosmos server), by pid. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

const commandOf = (pid: number) => execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A saga's status as the Durable HTTP API answers it (200 when done, 202 while it runs, 404 when unknown). */
async function saga(id: string, query = ''): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(host!.url(`/runtime/webhooks/durabletask/instances/${encodeURIComponent(id)}${query}`), {
    headers: host!.admin,
  });
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, body };
}

describe('a killed host keeps what it acknowledged', () => {
  it('SIGKILL of the host and the Cosmos server, then a start on the same data folder: bookings, tickets, seats, holds and sagas are all there', async () => {
    host = await startHost({ ownEmulators: true, timeoutMs: 60_000, env: { DEMO_DATA: 'false' } });
    const operator = await signIn(host, 'persist-op', ['operator']);
    const alice = await signIn(host, 'persist-alice');
    const bob = await signIn(host, 'persist-bob');
    // No demo catalog (it takes seconds to load): the one city the show needs.
    const city = { name: 'Bengaluru', timeZone: 'Asia/Kolkata', currency: 'INR' };
    expect((await api(host, operator, 'PUT', '/api/cities/blr', city)).status).toBe(200);
    const show = await createShow(host, operator, 72);

    const paid = await book(host, alice, { showId: show.showId, seatIds: ['A1', 'A2'] });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect((await checkout(paid.body.paymentUrl, 'pay')).status).toBe(303);
    await waitForBooking(host, alice, paid.body.bookingId, statusIs('confirmed'));
    const before = await api(host, alice, 'GET', `/api/bookings/${paid.body.bookingId}/tickets`);
    expect(before.status).toBe(200);
    const held = await book(host, bob, { showId: show.showId, seatIds: ['B1'] });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    // The held booking's checkout session exists before the crash (the link redirects to it).
    const link = await fetch(held.body.paymentUrl, { redirect: 'manual' });
    expect(link.status).toBe(303);
    // Both sagas are stored (the Durable API reads them back from the task hub) before the crash.
    const sagaBefore = await saga(held.body.bookingId);
    expect([200, 202], JSON.stringify(sagaBefore.body)).toContain(sagaBefore.status); // 202 while it runs
    const paidSagaBefore = await saga(paid.body.bookingId);
    expect([200, 202], JSON.stringify(paidSagaBefore.body)).toContain(paidSagaBefore.status);
    // A dead emulator is restarted by the host (same port, its data replayed from the journal).
    const first = childrenOf(host.pid).find((pid) => commandOf(pid).includes('cosmos-server-cli'))!;
    expect(first).toBeDefined();
    process.kill(first, 'SIGKILL');
    for (const deadline = Date.now() + 30_000; !/Cosmos DB server restarted/.test(host.output());) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(host.output()).toMatch(new RegExp(`Cosmos DB server \\(pid ${first}\\) exited \\(SIGKILL\\); restarting`));
    const reread = await api(host, alice, 'GET', `/api/bookings/${paid.body.bookingId}`);
    expect(reread.status, JSON.stringify(reread.body)).toBe(200);
    expect(reread.body.status).toBe('confirmed');

    const children = childrenOf(host.pid);
    expect(children.length).toBe(2); // Azurite, the Cosmos server
    const cosmos = children.find((pid) => commandOf(pid).includes('cosmos-server-cli'))!;
    expect(cosmos).toBeDefined();
    const pids = [host.pid, ...children];
    process.kill(host.pid, 'SIGKILL');
    process.kill(cosmos, 'SIGKILL');
    for (const deadline = Date.now() + 30_000; pids.some(alive) && Date.now() < deadline;)
      await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
    await host.restart();
    // Tokens issued before still verify (the dev identity's key is kept in the data folder).
    const booking = await api(host, alice, 'GET', `/api/bookings/${paid.body.bookingId}`);
    expect(booking.status, JSON.stringify(booking.body)).toBe(200);
    expect(booking.body.status).toBe('confirmed');
    const after = await api(host, alice, 'GET', `/api/bookings/${paid.body.bookingId}/tickets`);
    expect(after.body.tickets).toEqual(before.body.tickets);
    const code = (after.body.tickets as { code: string }[])[0]!.code;
    const admitted = await api(host, operator, 'POST', '/api/tickets/verify', { showId: show.showId, code });
    expect(admitted.status, JSON.stringify(admitted.body)).toBe(200);
    expect(admitted.body).toMatchObject({ admitted: true, bookingId: paid.body.bookingId });

    // The show's seats in layout order: rows A-D of 10 (createShow), '1' = taken.
    const seats = (await api(host, undefined, 'GET', `/api/shows/${show.showId}/seats`)).body.seats as string;
    const state = (seat: string) => seats[show.seats.indexOf(seat)];
    expect([state('A1'), state('A2'), state('B1')]).toEqual(['1', '1', '1']);
    expect(state('A3')).toBe('0');
    // The sagas survived: the paid booking's as it was, the held one still waiting for its payment.
    const paidSagaAfter = await saga(paid.body.bookingId);
    expect(paidSagaAfter.status, JSON.stringify(paidSagaAfter.body)).toBe(paidSagaBefore.status);
    expect(paidSagaAfter.body.runtimeStatus).toBe(paidSagaBefore.body.runtimeStatus);
    const sagaAfter = await saga(held.body.bookingId);
    expect(sagaAfter.status, JSON.stringify(sagaAfter.body)).toBe(202);
    expect(sagaAfter.body.runtimeStatus).toMatch(/^(Running|Pending)$/);
    // The hold, its saga and its payment session survived: paying now confirms it.
    expect((await checkout(held.body.paymentUrl, 'pay')).status).toBe(303);
    const restarted = host;
    await waitForBooking(restarted, bob, held.body.bookingId, statusIs('confirmed'), 20_000).catch(
      async (err: Error) => {
        const history = await saga(held.body.bookingId, '?showHistory=true');
        const log = restarted.output().slice(-4000);
        throw new Error(
          `${err.message}\nsaga: ${history.status} ${JSON.stringify(history.body).slice(0, 3000)}\nhost log:\n${log}`,
        );
      },
    );
  }, 240_000);
});
