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

const leaves = (actions: Action[]): Action[] =>
  actions.flatMap((a) => (a.compoundActions ? leaves(a.compoundActions) : [a]));

/**
 * Runs the saga to its end: every activity completes with `results[name]` (a function of its
 * input); when only a timer or an event is pending, `wake` decides which happens.
 */
async function drive(results: Record<string, (input: unknown) => unknown>, wake: 'event' | 'timer', payment?: unknown) {
  const input = { bookingId: 'bk_test', userId: 'u1', returnUrl: 'http://x/api/bookings/bk_test' };
  const history: Ev[] = [ev(12, 0), ev(0, 0, { Name: Saga.booking.name, Input: JSON.stringify(input) })];
  const called: string[] = [];
  let handled = 0;
  let clock = 0;
  for (let episode = 0; episode < 30; episode++) {
    const state = await replay(
      history.map((e) => ({ ...e })),
      input,
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
      history.push(
        ev(12, clock),
        ev(5, clock, {
          TaskScheduledId: ids.get(activity),
          Result: JSON.stringify(
            respond(typeof activity.input === 'string' ? JSON.parse(activity.input) : activity.input),
          ),
        }),
      );
      continue;
    }
    const timer = history.find(
      (e) => e.EventType === 10 && !history.some((f) => f.EventType === 11 && f.TimerId === e.EventId),
    );
    if (wake === 'event')
      history.push(
        ev(12, clock),
        ev(15, clock, { Name: SagaEvent.paymentResult.name, Input: JSON.stringify(payment) }),
      );
    else if (timer) {
      clock = Date.parse(String(timer.FireAt)) - T0 + 1;
      history.push(ev(12, clock), ev(11, clock, { TimerId: timer.EventId, FireAt: timer.FireAt }));
    }
  }
  throw new Error('the saga did not finish in 30 episodes');
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
    expect(called).toEqual([step.holdSeats, step.createPayment, step.confirmSeats, step.confirmBooking, step.publish]);
    expect(state.customStatus).toEqual({ step: 'confirmed' });
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
      step.confirmSeats,
      step.refundUnusable,
      step.fail,
      step.releaseSeats,
      step.publish,
      step.publish,
    ]);
  });

  it('releases and fails on a declined payment, and ends at once when the hold is refused', async () => {
    const declined = await drive({ [step.holdSeats]: held, [step.createPayment]: session }, 'event', {
      ...paid,
      outcome: 'declined',
      paymentId: undefined,
    });
    expect(declined.state.output).toEqual({ status: 'failed', code: 'PAYMENT_DECLINED' });
    expect(declined.called).toEqual([step.holdSeats, step.createPayment, step.releaseSeats, step.fail, step.publish]);
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
});
