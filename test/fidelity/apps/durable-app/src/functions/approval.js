// Human interaction: wait for an "Approval" event or a durable timer, whichever comes first, as the
// samples' smsPhoneVerification does.
const df = require('durable-functions');

df.app.orchestration('approval', function* (context) {
  const { timeoutSeconds } = context.df.getInput();
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + timeoutSeconds * 1000);
  const timeoutTask = context.df.createTimer(deadline);
  const approvalTask = context.df.waitForExternalEvent('Approval');
  const winner = yield context.df.Task.any([approvalTask, timeoutTask]);
  if (winner === approvalTask) {
    timeoutTask.cancel();
    return approvalTask.result ? 'approved' : 'rejected';
  }
  return 'timed out';
});
