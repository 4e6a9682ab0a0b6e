// The booking saga's coordination driven through the durable-functions library's own replay (the
// call the extension makes): histories are built episode by episode from the actions the
// orchestrator returns, with scripted activity results, a raised PaymentResult or a fired timer.
import { InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { bookingSagaFlow } from '../../../orchestrations/booking-flow.js';
import { BookingActivity, Saga, SagaEvent } from '../../../shared/booking/saga-contracts.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Orchestrator } = require('durable-functions/lib/src/orchestrations/Orchestrator') as {
  Orchestrator: new (fn: unknown) => { handle(trigger: unknown, ctx: unknown): Promise<State> };
};

interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  fireAt?: string;
  externalEventName?: string;
  compoundActions?: Action[];
}
interface State {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  customStatus?: unknown;
}
type Ev = Record<string, unknown>;

/** Each step's activity name: what the history records and the scripted results are keyed by. */
const step = Object.fromEntries(Object.entries(BookingActivity).map(([key, d]) => [key, d.name])) as Record<
  keyof typeof BookingActivity,
  string
>;

const T0 = Date.parse('2030-01-01T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const ev = (EventType: number, ms: number, extra: Ev = {}): Ev => ({
  EventType,
  EventId: -1,
  IsPlayed: false,
  Timestamp: at(ms),
  ...extra,
});

async function replay(history: Ev[], input: unknown): Promise<State> {
  const trigger = {
    history,
    input,
    instanceId: 'bk_test',
    isReplaying: false,
    parentInstanceId: null,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: '3.00:00:00',
    maximumShortTimerDuration: '6.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
  return new Orchestrator(bookingSagaFlow).handle(trigger, new InvocationContext());
}

/** An activity result that fails the attempt instead (the retry policy then schedules another). */
const FAIL = Symbol('fail');
const failed = (ms: number, taskId: number) =>
  ev(6, ms, { TaskScheduledId: taskId, Reason: 'provider down', Details: 'provider down' });

const leaves = (actions: Action[]): Action[] =>
  actions.flatMap((a) => (a.compoundActions ? leaves(a.compoundActions) : [a]));

/** What happens when the saga waits: PaymentResult (`payment`), the timer, or a named event. */
type Wake = 'event' | 'timer' | { name: string; payload: unknown };

/**
 * Runs the saga to its end: every activity completes with `results[name]` (a function of its
 * input); when only a timer or an event is pending, `wake` decides which happens.
 */
async function drive(
  given: Record<string, (input: unknown) => unknown>,
  wakeAs: Wake | Wake[],
  payment?: unknown,
  extraInput: Record<string, unknown> = {},
) {
  const input = { bookingId: 'bk_test', userId: 'u1', returnUrl: 'http://x/api/bookings/bk_test', ...extraInput };
  // Verification passes unless a test says otherwise: the provider confirms what the result says.
  const results: Record<string, (input: unknown) => unknown> = {
    [step.verifyPayment]: (i) => {
      const p = (i as { payment: { outcome: string } }).payment;
      return p.outcome === 'paid' ? { verdict: 'paid', payment: p } : { verdict: 'declined' };
    },
    ...given,
  };
  const wakes = Array.isArray(wakeAs) ? [...wakeAs] : [wakeAs];
  const history: Ev[] = [ev(12, 0), ev(0, 0, { Name: Saga.booking.name, Input: JSON.stringify(input) })];
  const called: string[] = [];
  let handled = 0;
  let clock = 0;
  for (let episode = 0; episode < 100; episode++) {
    const state = await replay(
      history.map((e) => ({ ...e })),
      input,
    );
    if (process.env.DBG)
      console.log(
        JSON.stringify({
          isDone: state.isDone,
          actions: state.actions,
          output: state.output,
          error: (state as { error?: unknown }).error,
        }).slice(0, 1500),
      );
    if (state.isDone) return { state, called };
    const all = leaves(state.actions[0] ?? []);
    const fresh = all.slice(handled);
    handled = all.length;
    const ids = new Map<Action, number>();
    let id = history.filter((e) => e.EventType === 4 || e.EventType === 10).length;
    for (const a of fresh) if (a.actionType !== 6) ids.set(a, id++);
    for (const a of fresh) {
      if (a.actionType === 1 || a.actionType === 0)
        history.push(ev(4, clock, { EventId: ids.get(a), Name: a.functionName, Input: JSON.stringify(a.input) }));
      if (a.actionType === 5) history.push(ev(10, clock, { EventId: ids.get(a), FireAt: a.fireAt }));
    }
    history.push(ev(13, clock));
    const activity = fresh.find((a) => a.actionType === 1 || a.actionType === 0);
    clock += 100;
    if (activity) {
      called.push(activity.functionName!);
      const respond = results[activity.functionName!] ?? (() => ({}));
      const input = typeof activity.input === 'string' ? JSON.parse(activity.input) : activity.input;
      let result = respond(input);
      let taskId = ids.get(activity)!;
      // A failed attempt is retried as the extension does it (local/durable/episode.ts): after every
      // failed attempt, the last one included, a timer is created and fired; then the activity is
      // scheduled again while attempts remain.
      const attempts =
        (activity as { retryOptions?: { maxNumberOfAttempts: number } }).retryOptions?.maxNumberOfAttempts ?? 1;
      for (let attempt = 1; result === FAIL; attempt++) {
        const fireAt = at(clock);
        history.push(ev(12, clock), failed(clock, taskId), ev(10, clock, { EventId: id, FireAt: fireAt }));
        history.push(ev(11, clock, { TimerId: id++, FireAt: fireAt }));
        if (attempt >= attempts) break;
        history.push(ev(4, clock, { EventId: id, Name: activity.functionName, Input: JSON.stringify(activity.input) }));
        taskId = id++;
        called.push(activity.functionName!);
        result = respond(input);
      }
      if (result !== FAIL)
        history.push(ev(12, clock), ev(5, clock, { TaskScheduledId: taskId, Result: JSON.stringify(result) }));
      continue;
    }
    const timer = [...history]
      .reverse()
      .find((e) => e.EventType === 10 && !history.some((f) => f.EventType === 11 && f.TimerId === e.EventId));
    const wake = wakes.length > 1 ? wakes.shift()! : wakes[0]!;
    if (wake === 'event')
      history.push(
        ev(12, clock),
        ev(15, clock, { Name: SagaEvent.paymentResult.name, Input: JSON.stringify(payment) }),
      );
    else if (typeof wake === 'object')
      history.push(ev(12, clock), ev(15, clock, { Name: wake.name, Input: JSON.stringify(wake.payload) }));
    else if (timer) {
      clock = Date.parse(String(timer.FireAt)) - T0 + 1;
      history.push(ev(12, clock), ev(11, clock, { TimerId: timer.EventId, FireAt: timer.FireAt }));
    }
  }
  throw new Error('the saga did not finish in 100 episodes');
}

const held = () => ({ ok: true, holdExpiresAt: at(600_000), seatIds: ['A1'] });
const session = () => ({ ok: true, sessionId: 'cs_1', paymentUrl: 'http://pay/cs_1', holdExpiresAt: at(600_000) });
const paid = {
  outcome: 'paid',
  sessionId: 'cs_1',
  paymentId: 'pay_1',
  amount: { minor: 100, currency: 'INR' },
  eventId: 'evt_1',
};

describe('bookingSaga replay', () => {
  it('confirms and publishes booking.confirmed when PaymentResult says paid', async () => {
    const { state, called } = await drive(
      { [step.holdSeats]: held, [step.createPayment]: session, [step.confirmSeats]: () => ({ ok: true }) },
      'event',
      paid,
    );
    expect(state.output).toEqual({ status: 'confirmed' });
    expect(called).toEqual([
      step.holdSeats,
      step.createPayment,
      step.verifyPayment,
      step.confirmSeats,
      step.confirmBooking,
      step.publish,
    ]);
    expect(state.customStatus).toEqual({ step: 'confirmed' });
  });

  describe('sagas that confirm in one step (confirmInOneStep)', () => {
    const oneStep = { confirmInOneStep: true };

    it('a verified payment is used by one activity (seats, confirm, tickets, booking.confirmed) and nothing after it', async () => {
      const inputs: unknown[] = [];
      const { state, called } = await drive(
        {
          [step.holdSeats]: held,
          [step.createPayment]: session,
          [step.confirmPaid]: (i) => inputs.push(i) && { ok: true, status: 'confirmed' },
        },
        'event',
        paid,
        oneStep,
      );
      expect(state.output).toEqual({ status: 'confirmed' });
      expect(called).toEqual([step.holdSeats, step.createPayment, step.verifyPayment, step.confirmPaid]);
      expect(inputs).toEqual([{ bookingId: 'bk_test', userId: 'u1', payment: paid }]);
      expect(state.customStatus).toEqual({ step: 'confirmed' });
    });

    it('seats lost: refunds, fails, releases and publishes as the three-step saga does', async () => {
      const { state, called } = await drive(
        {
          [step.holdSeats]: held,
          [step.createPayment]: session,
          [step.confirmPaid]: () => ({ ok: false, code: 'SEATS_UNAVAILABLE', seats: ['A1'] }),
        },
        'event',
        paid,
        oneStep,
      );
      expect(state.output).toEqual({ status: 'failed', code: 'SEATS_UNAVAILABLE' });
      expect(called).toEqual([
        step.holdSeats,
        step.createPayment,
        step.verifyPayment,
        step.confirmPaid,
        step.refundUnusable,
        step.fail,
        step.releaseSeats,
        step.publish,
        step.publish,
      ]);
    });

    it('a late confirm (ended before the seats, or before the commit) gives the seats back and refunds', async () => {
      for (const answer of [
        { ok: false, code: 'BOOKING_ENDED', status: 'expired', seats: ['A1'] },
        { ok: true, status: 'expired' },
      ]) {
        const published: unknown[] = [];
        const { state, called } = await drive(
          {
            [step.holdSeats]: held,
            [step.createPayment]: session,
            [step.confirmPaid]: () => answer,
            [step.publish]: (i) => published.push((i as { type: string }).type) && {},
          },
          'event',
          paid,
          oneStep,
        );
        expect(state.output).toEqual({ status: 'expired' });
        expect(called.slice(3)).toEqual([step.confirmPaid, step.releaseSeats, step.refundUnusable, step.publish]);
        expect(published).toEqual(['refund.issued']);
      }
    });

    it('an answer of an earlier run that had confirmed (cancelled since) ends confirmed: no refund, no release', async () => {
      const { state, called } = await drive(
        {
          [step.holdSeats]: held,
          [step.createPayment]: session,
          [step.confirmPaid]: () => ({ ok: true, status: 'cancelled', confirmedBefore: true }),
        },
        'event',
        paid,
        oneStep,
      );
      expect(state.output).toEqual({ status: 'confirmed' });
      expect(called).toEqual([step.holdSeats, step.createPayment, step.verifyPayment, step.confirmPaid]);
    });

    it('retries the one step on a fault like any step, and confirms when it succeeds', async () => {
      let tries = 0;
      const { state, called } = await drive(
        {
          [step.holdSeats]: held,
          [step.createPayment]: session,
          [step.confirmPaid]: () => (++tries < 3 ? FAIL : { ok: true, status: 'confirmed' }),
        },
        'event',
        paid,
        oneStep,
      );
      expect(state.output).toEqual({ status: 'confirmed' });
      expect(called.filter((c) => c === step.confirmPaid)).toHaveLength(3);
    });
  });

  it('races the hold timer: after it fires it asks the provider, then releases, expires and publishes', async () => {
    const { state, called } = await drive(
      { [step.holdSeats]: held, [step.createPayment]: session, [step.paymentStatus]: () => ({ status: 'pending' }) },
      'timer',
    );
    expect(state.output).toEqual({ status: 'expired' });
    expect(called).toEqual([
      step.holdSeats,
      step.createPayment,
      step.paymentStatus,
      step.releaseSeats,
      step.expire,
      step.publish,
    ]);
  });

  it('honours a payment the provider reports after the timer, if the seats can still be confirmed', async () => {
    const { state, called } = await drive(
      {
        [step.holdSeats]: held,
        [step.createPayment]: session,
        [step.paymentStatus]: () => ({ status: 'paid', paymentId: 'pay_9', amount: { minor: 100, currency: 'INR' } }),
        [step.confirmSeats]: () => ({ ok: true }),
      },
      'timer',
    );
    expect(state.output).toEqual({ status: 'confirmed' });
    expect(called).toContain(step.confirmBooking);
  });

  it('refunds and fails when the seats were lost before the payment arrived', async () => {
    const { state, called } = await drive(
      {
        [step.holdSeats]: held,
        [step.createPayment]: session,
        [step.confirmSeats]: () => ({ ok: false, code: 'SEATS_UNAVAILABLE', seats: ['A1'] }),
      },
      'event',
      paid,
    );
    expect(state.output).toEqual({ status: 'failed', code: 'SEATS_UNAVAILABLE' });
    expect(called).toEqual([
      step.holdSeats,
      step.createPayment,
      step.verifyPayment,
      step.confirmSeats,
      step.refundUnusable,
      step.fail,
      step.releaseSeats,
      step.publish,
      step.publish,
    ]);
  });

  it('a late confirm (the booking ended meanwhile) gives the seats back and refunds instead of confirming', async () => {
    const published: unknown[] = [];
    const refunds: unknown[] = [];
    const whenSeats = await drive(
      {
        [step.holdSeats]: held,
        [step.createPayment]: session,
        [step.confirmSeats]: () => ({ ok: false, code: 'BOOKING_ENDED', status: 'expired', seats: ['A1'] }),
        [step.refundUnusable]: (i) => refunds.push((i as { payment: unknown }).payment) && {},
        [step.publish]: (i) => published.push((i as { type: string }).type) && {},
      },
      'event',
      paid,
    );
    expect(whenSeats.state.output).toEqual({ status: 'expired' });
    const ended = [step.releaseSeats, step.refundUnusable, step.publish];
    expect(whenSeats.called).toEqual([
      step.holdSeats,
      step.createPayment,
      step.verifyPayment,
      step.confirmSeats,
      ...ended,
    ]);
    // The verified payment goes back, and the event published is refund.issued (never booking.confirmed).
    expect(refunds).toEqual([paid]);
    expect(published).toEqual(['refund.issued']);
    expect(whenSeats.state.customStatus).toEqual({ step: 'expired' });

    // Ended between the seats and the booking's commit: confirmBooking answers the end, not a confirmation.
    const whenBooking = await drive(
      {
        [step.holdSeats]: held,
        [step.createPayment]: session,
        [step.confirmSeats]: () => ({ ok: true }),
        [step.confirmBooking]: () => ({ status: 'failed' }),
      },
      'event',
      paid,
    );
    expect(whenBooking.state.output).toEqual({ status: 'failed' });
    expect(whenBooking.called).toEqual([
      step.holdSeats,
      step.createPayment,
      step.verifyPayment,
      step.confirmSeats,
      step.confirmBooking,
      ...ended,
    ]);
  });

  it('releases and fails on a declined payment, and ends at once when the hold is refused', async () => {
    const declined = await drive({ [step.holdSeats]: held, [step.createPayment]: session }, 'event', {
      ...paid,
      outcome: 'declined',
      paymentId: undefined,
    });
    expect(declined.state.output).toEqual({ status: 'failed', code: 'PAYMENT_DECLINED' });
    expect(declined.called).toEqual([
      step.holdSeats,
      step.createPayment,
      step.verifyPayment,
      step.releaseSeats,
      step.fail,
      step.publish,
    ]);
    const refused = await drive(
      { [step.holdSeats]: () => ({ ok: false, code: 'SEATS_UNAVAILABLE', detail: 'taken', seats: ['A1'] }) },
      'event',
    );
    expect(refused.state.output).toEqual({ status: 'failed', code: 'SEATS_UNAVAILABLE' });
    expect(refused.called).toEqual([step.holdSeats, step.publish]);
  });

  it('expires (not fails) when the hold ran out before the payment session could be created', async () => {
    const late = await drive(
      { [step.holdSeats]: held, [step.createPayment]: () => ({ ok: false, code: 'HOLD_EXPIRED', detail: 'too late' }) },
      'event',
    );
    expect(late.state.output).toEqual({ status: 'expired' });
    expect(late.called).toEqual([step.holdSeats, step.createPayment, step.releaseSeats, step.expire, step.publish]);
    const refusedByProvider = await drive(
      {
        [step.holdSeats]: held,
        [step.createPayment]: () => ({ ok: false, code: 'PAYMENT_REQUEST_REFUSED', detail: 'no' }),
      },
      'event',
    );
    expect(refusedByProvider.state.output).toEqual({ status: 'failed', code: 'PAYMENT_REQUEST_REFUSED' });
  });

  it('never confirms with a result verification refuses: it refunds it, publishes, and keeps waiting for the real payment', async () => {
    let verifications = 0;
    const refused = { verdict: 'rejected', reason: 'The payment is for 1 INR.', key: 'pay_1', refund: paid };
    const { state, called } = await drive(
      {
        [step.holdSeats]: held,
        [step.createPayment]: session,
        [step.verifyPayment]: (i) =>
          ++verifications === 1 ? refused : { verdict: 'paid', payment: (i as { payment: unknown }).payment },
        [step.confirmSeats]: () => ({ ok: true }),
      },
      'event',
      paid,
    );
    expect(state.output).toEqual({ status: 'confirmed' });
    expect(called).toEqual([
      step.holdSeats,
      step.createPayment,
      step.verifyPayment,
      step.refundUnusable,
      step.publish,
      step.publish,
      step.verifyPayment,
      step.confirmSeats,
      step.confirmBooking,
      step.publish,
    ]);
  });

  it('a refused result with nothing of ours to refund changes nothing: the hold still expires on its timer', async () => {
    const { state, called } = await drive(
      {
        [step.holdSeats]: held,
        [step.createPayment]: session,
        [step.verifyPayment]: () => ({ verdict: 'rejected', reason: 'already settles bk_other', key: 'pay_1' }),
        [step.paymentStatus]: () => ({ status: 'pending' }),
      },
      ['event', 'timer'],
      paid,
    );
    expect(state.output).toEqual({ status: 'expired' });
    expect(called).toEqual([
      step.holdSeats,
      step.createPayment,
      step.verifyPayment,
      step.publish,
      step.paymentStatus,
      step.releaseSeats,
      step.expire,
      step.publish,
    ]);
  });

  it('keeps the seats through a bounded grace while the provider cannot answer, and confirms once it says paid', async () => {
    let asked = 0;
    const { state, called } = await drive(
      {
        [step.holdSeats]: held,
        [step.createPayment]: session,
        // The first question (all its retries) fails; the grace poll's question is answered.
        [step.paymentStatus]: () =>
          ++asked <= 5 ? FAIL : { status: 'paid', paymentId: 'pay_9', amount: { minor: 100, currency: 'INR' } },
        [step.confirmSeats]: () => ({ ok: true }),
      },
      'timer',
      undefined,
      { paymentGrace: { seconds: 300, pollSeconds: 30 } },
    );
    expect(state.output).toEqual({ status: 'confirmed' });
    expect(called.filter((c) => c === step.paymentStatus)).toHaveLength(6);
    expect(called).toContain(step.holdForGrace);
    expect(called).not.toContain(step.releaseSeats);
    expect(called.indexOf(step.holdForGrace)).toBeLessThan(called.indexOf(step.verifyPayment));
  });

  it('expires at the end of the grace when the provider never answers', async () => {
    const { state, called } = await drive(
      { [step.holdSeats]: held, [step.createPayment]: session, [step.paymentStatus]: () => FAIL },
      'timer',
      undefined,
      { paymentGrace: { seconds: 60, pollSeconds: 30 } },
    );
    expect(state.output).toEqual({ status: 'expired' });
    expect(called.filter((c) => c === step.holdForGrace)).toHaveLength(1);
    expect(called.slice(-3)).toEqual([step.releaseSeats, step.expire, step.publish]);
  });

  describe('a declined payment within the hold, and a release (retryDeclined sagas)', () => {
    const retrying = { retryDeclined: true };
    const declined = { ...paid, outcome: 'declined', paymentId: undefined };
    const retry = { name: SagaEvent.paymentRetry.name, payload: { paymentTry: 2 } };
    const release = { name: SagaEvent.releaseRequested.name, payload: { requestedAt: at(0) } };

    it('keeps the seats after a decline and takes a verified retry to a new session, then confirms', async () => {
      let sessions = 0;
      const { state, called } = await drive(
        {
          [step.holdSeats]: held,
          [step.createPayment]: () => ({ ...session(), sessionId: `cs_${++sessions}` }),
          [step.verifyRetry]: () => ({ ok: true }),
          [step.confirmSeats]: () => ({ ok: true }),
        },
        [{ name: SagaEvent.paymentResult.name, payload: declined }, retry, 'event'],
        paid,
        retrying,
      );
      expect(state.output).toEqual({ status: 'confirmed' });
      expect(called).toEqual([
        step.holdSeats,
        step.createPayment,
        step.verifyPayment,
        step.declinePayment,
        step.verifyRetry,
        step.createPayment,
        step.verifyPayment,
        step.confirmSeats,
        step.confirmBooking,
        step.publish,
      ]);
      expect(called).not.toContain(step.releaseSeats);
    });

    it('ignores a retry event the booking does not show, and fails when the hold ends after the decline', async () => {
      const { state, called } = await drive(
        { [step.holdSeats]: held, [step.createPayment]: session, [step.verifyRetry]: () => ({ ok: false }) },
        [{ name: SagaEvent.paymentResult.name, payload: declined }, retry, 'timer'],
        undefined,
        retrying,
      );
      expect(state.output).toEqual({ status: 'failed', code: 'PAYMENT_DECLINED' });
      expect(called.filter((c) => c === step.createPayment)).toHaveLength(1);
      expect(called.slice(-3)).toEqual([step.releaseSeats, step.fail, step.publish]);
    });

    it('releases at once on a verified request, and keeps waiting when the release step refuses it', async () => {
      const released = await drive(
        { [step.holdSeats]: held, [step.createPayment]: session, [step.release]: () => ({ released: true }) },
        [release],
        undefined,
        retrying,
      );
      expect(released.state.output).toEqual({ status: 'expired', code: 'HOLD_RELEASED' });
      expect(released.called).toEqual([step.holdSeats, step.createPayment, step.release, step.publish]);

      // Refused (the provider reports the session paid): the payment that follows confirms the booking.
      const paidFirst = await drive(
        {
          [step.holdSeats]: held,
          [step.createPayment]: session,
          [step.release]: () => ({ released: false, detail: 'paid' }),
          [step.confirmSeats]: () => ({ ok: true }),
        },
        [release, 'event'],
        paid,
        retrying,
      );
      expect(paidFirst.state.output).toEqual({ status: 'confirmed' });
    });

    it('releases after a decline too, without waiting for the hold', async () => {
      const { state, called } = await drive(
        { [step.holdSeats]: held, [step.createPayment]: session, [step.release]: () => ({ released: true }) },
        [{ name: SagaEvent.paymentResult.name, payload: declined }, release],
        undefined,
        retrying,
      );
      expect(state.output).toEqual({ status: 'expired', code: 'HOLD_RELEASED' });
      expect(called.slice(-3)).toEqual([step.declinePayment, step.release, step.publish]);
    });
  });
});
