// Activity and orchestration names, in one place so the registrations and the orchestrators cannot
// drift apart (the registrations remain the registry; this only names them).
export const A = {
  holdSeats: 'bookingHoldSeats',
  createPayment: 'bookingCreatePayment',
  paymentStatus: 'bookingPaymentStatus',
  confirmSeats: 'bookingConfirmSeats',
  confirmBooking: 'bookingConfirm',
  fail: 'bookingFail',
  expire: 'bookingExpire',
  abandon: 'bookingAbandon',
  releaseSeats: 'bookingReleaseSeats',
  refundUnusable: 'bookingRefundUnusable',
  publish: 'bookingPublishEvent',
  cancelRefund: 'cancellationRefund',
  cancelRelease: 'cancellationReleaseSeats',
  cancelFinish: 'cancellationFinish',
  cancelRefundFailed: 'cancellationRefundFailed',
} as const;

export const O = {
  booking: 'bookingSaga',
  recovery: 'bookingRecovery',
  latePayment: 'latePaymentSaga',
  cancellation: 'cancellationSaga',
} as const;
