// The saga contracts (shared/booking/saga-contracts.ts) and the helpers that use them: the names
// stay exactly what running instances were stored under, each helper makes exactly the library call
// it stands for, and the descriptor's types reach both ends — the `@ts-expect-error` lines are
// checked by `tsc` (npm test), so a handler or a call that disagrees with its contract fails the build.
import type { DurableClient, OrchestrationContext, RetryOptions, Task } from 'durable-functions';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  BookingActivity,
  CancellationActivity,
  Saga,
  SagaEvent,
  type BookingRef,
  type HoldStep,
  type PaymentResult,
} from '../../../shared/booking/saga-contracts.js';
import { sagaClient } from '../../../shared/booking/ports.js';
import {
  callWithRetry,
  registerActivity,
  registerOrchestration,
  waitForEvent,
} from '../../../orchestrations/durable.js';
import { bookingSagaFlow } from '../../../orchestrations/booking-flow.js';
import { cancellationFlow } from '../../../orchestrations/cancellation-saga.js';

const registered = vi.hoisted(() => ({ activity: vi.fn(), orchestration: vi.fn() }));
vi.mock('durable-functions', () => ({ app: registered }));

const ref: BookingRef = { bookingId: 'bk_1', userId: 'u1' };
const payment: PaymentResult = {
  outcome: 'paid',
  sessionId: 'cs_1',
  paymentId: 'pay_1',
  amount: { minor: 100, currency: 'INR' },
  eventId: 'evt_1',
};
const retry = { maxNumberOfAttempts: 2 } as RetryOptions;

/** An orchestration context whose calls return what they were asked for, as the tasks. */
function fakeContext() {
  const df = {
    callActivityWithRetry: vi.fn((name: string, options: RetryOptions, input: unknown) => ({ name, options, input })),
    waitForExternalEvent: vi.fn((name: string) => ({ name, result: payment })),
  };
  return { ctx: { df } as unknown as OrchestrationContext, df };
}

describe('saga contracts', () => {
  it('keep the names running instances are stored under', () => {
    const names = (group: Record<string, { name: string }>) =>
      Object.fromEntries(Object.entries(group).map(([key, d]) => [key, d.name]));
    expect(names(BookingActivity)).toEqual({
      holdSeats: 'bookingHoldSeats',
      createPayment: 'bookingCreatePayment',
      paymentStatus: 'bookingPaymentStatus',
      verifyPayment: 'bookingVerifyPayment',
      holdForGrace: 'bookingHoldForGrace',
      confirmSeats: 'bookingConfirmSeats',
      confirmBooking: 'bookingConfirm',
      confirmPaid: 'bookingConfirmPaid',
      fail: 'bookingFail',
      expire: 'bookingExpire',
      abandon: 'bookingAbandon',
      releaseSeats: 'bookingReleaseSeats',
      declinePayment: 'bookingDeclinePayment',
      verifyRetry: 'bookingVerifyRetry',
      release: 'bookingRelease',
      refundUnusable: 'bookingRefundUnusable',
      publish: 'bookingPublishEvent',
    });
    expect(names(CancellationActivity)).toEqual({
      refund: 'cancellationRefund',
      releaseSeats: 'cancellationReleaseSeats',
      finish: 'cancellationFinish',
      refundFailed: 'cancellationRefundFailed',
    });
    expect(names(Saga)).toEqual({
      booking: 'bookingSaga',
      recovery: 'bookingRecovery',
      latePayment: 'latePaymentSaga',
      cancellation: 'cancellationSaga',
      showCancellation: 'showCancellation',
    });
    expect(names(SagaEvent)).toEqual({
      paymentResult: 'PaymentResult',
      releaseRequested: 'ReleaseRequested',
      paymentRetry: 'PaymentRetry',
    });
  });

  it('call an activity as the library would and hand back its output type', () => {
    const { ctx, df } = fakeContext();
    const holding = callWithRetry(ctx, BookingActivity.holdSeats, retry, ref);
    expect(holding.next().value).toEqual({ name: 'bookingHoldSeats', options: retry, input: ref });
    expect(df.callActivityWithRetry).toHaveBeenCalledTimes(1);
    const hold: HoldStep = { ok: true, holdExpiresAt: '2030-01-01T10:10:00Z', seatIds: ['A1'] };
    const answered = holding.next(hold);
    expect(answered).toEqual({ done: true, value: hold });
    expectTypeOf(answered).toEqualTypeOf<IteratorResult<Task, HoldStep>>();
    // @ts-expect-error: createPayment needs the returnUrl
    void callWithRetry(ctx, BookingActivity.createPayment, retry, ref);
  });

  it('wait for an event whose result is the payload type', () => {
    const { ctx, df } = fakeContext();
    const event = waitForEvent(ctx, SagaEvent.paymentResult);
    expect(df.waitForExternalEvent).toHaveBeenCalledWith('PaymentResult');
    expectTypeOf(event.result).toEqualTypeOf<PaymentResult | undefined>();
  });

  it('register a handler under the name, typed by the descriptor', async () => {
    const handler = async (input: BookingRef) => {
      expectTypeOf(input).toEqualTypeOf<BookingRef>();
      return { ok: true as const, holdExpiresAt: '2030-01-01T10:10:00Z', seatIds: ['A1'] };
    };
    registerActivity(BookingActivity.holdSeats, handler);
    // Registered wrapped in the saga step's span (docs/telemetry.md): the wrapper answers what the handler does.
    expect(registered.activity).toHaveBeenCalledWith('bookingHoldSeats', { handler: expect.any(Function) });
    const wrapped = registered.activity.mock.calls[0]![1].handler as (
      input: BookingRef,
      ctx: unknown,
    ) => Promise<unknown>;
    await expect(wrapped({ bookingId: 'b1' } as BookingRef, {})).resolves.toEqual(
      await handler({ bookingId: 'b1' } as BookingRef),
    );
    const answersStatus = async () => ({ status: 'confirmed' as const });
    // @ts-expect-error: holdSeats answers a HoldStep, not a status
    registerActivity(BookingActivity.holdSeats, answersStatus);
    const takesNumericId = async (input: { cancellationId: number }) => ({ amount: input.cancellationId });
    // @ts-expect-error: the handler must accept the contract's input, whose cancellationId is a string
    registerActivity(CancellationActivity.refund, takesNumericId);
    registerOrchestration(Saga.booking, bookingSagaFlow);
    expect(registered.orchestration).toHaveBeenCalledWith('bookingSaga', bookingSagaFlow);
    // @ts-expect-error: the booking saga ends with a SagaOutcome, the cancellation saga's flow does not
    registerOrchestration(Saga.booking, cancellationFlow);
  });

  it('start a saga and raise its event through the port with the contract types', async () => {
    const client = {
      getStatus: vi.fn(async () => ({ runtimeStatus: 'Completed' })),
      startNew: vi.fn(async () => 'bk_1'),
      raiseEvent: vi.fn(async () => {}),
    };
    const saga = sagaClient(client as unknown as DurableClient);
    const input = { ...ref, returnUrl: 'http://x/' };
    expect(await saga.start(Saga.booking, 'bk_1', input, { fresh: true })).toBe('started');
    expect(client.startNew).toHaveBeenCalledWith('bookingSaga', { instanceId: 'bk_1', input });
    const running = { state: 'Running' as const, input, customStatus: null, output: null };
    expect(await saga.raise('bk_1', SagaEvent.paymentResult, payment, running)).toBe('raised');
    expect(client.raiseEvent).toHaveBeenCalledWith('bk_1', 'PaymentResult', payment);
    // @ts-expect-error: the booking saga needs a returnUrl
    await saga.start(Saga.booking, 'bk_1', ref, { fresh: true });
    // @ts-expect-error: an activity is not an orchestration
    await saga.start(BookingActivity.holdSeats, 'bk_1', ref);
    // @ts-expect-error: PaymentResult carries an amount
    await saga.raise('bk_1', SagaEvent.paymentResult, { outcome: 'paid', sessionId: 'cs_1', eventId: 'e' }, running);
  });

  it("answers the Durable engine's faults as the retryable DEPENDENCY_UNAVAILABLE (503 + Retry-After at the edge), a missing instance as none", async () => {
    const down = new Error('DurableClient error: the Durable Functions extension replied with HTTP 503');
    const client = {
      getStatus: vi.fn(async (): Promise<never> => {
        throw down;
      }),
      startNew: vi.fn(async (): Promise<never> => {
        throw down;
      }),
      raiseEvent: vi.fn(async (): Promise<never> => {
        throw down;
      }),
      terminate: vi.fn(async (): Promise<never> => {
        throw down;
      }),
    };
    const saga = sagaClient(client as unknown as DurableClient);
    const unavailable = expect.objectContaining({ code: 'DEPENDENCY_UNAVAILABLE', retryAfter: 2, cause: down });
    const input = { ...ref, returnUrl: 'http://x/' };
    await expect(saga.status('bk_1')).rejects.toEqual(unavailable);
    await expect(saga.start(Saga.booking, 'bk_1', input, { fresh: true })).rejects.toEqual(unavailable);
    await expect(saga.raise('bk_1', SagaEvent.paymentResult, payment)).rejects.toEqual(unavailable);
    await expect(saga.terminate('bk_1', 'test')).rejects.toEqual(unavailable);
    client.getStatus.mockRejectedValue(new Error('Durable Functions extension replied with HTTP 404 response.'));
    expect(await saga.status('bk_1')).toBeUndefined();
  });
});
