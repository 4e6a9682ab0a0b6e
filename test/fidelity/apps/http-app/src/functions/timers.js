// Two timers: one every second, one yearly that only runs when started by hand
// (POST /admin/functions/yearlyReport). An HTTP function reports what ran.
const { app } = require('@azure/functions');

const runs = { everySecond: 0, yearlyReport: [] };

app.timer('everySecond', {
  schedule: '*/1 * * * * *',
  handler: (myTimer, context) => {
    runs.everySecond++;
    context.log('Timer function processed request.');
  },
});

app.timer('yearlyReport', {
  schedule: '0 0 0 1 1 *',
  handler: (myTimer, context) => {
    runs.yearlyReport.push({ isPastDue: myTimer.isPastDue, invocationId: context.invocationId });
  },
});

app.http('timerRuns', {
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: () => ({ jsonBody: runs }),
});
