// Timer triggers (local/README.md, What each plugin follows): every `timerTrigger` registration gets a
// TimerLoop driven by its NCRONTAB or TimeSpan schedule. Schedules are parsed before anything runs,
// so a bad one stops start-up with a line naming the function, as the real host refuses to index it.
// Times are UTC unless WEBSITE_TIME_ZONE (or TZ) names an IANA zone, as on Linux plans.
import type { HostPlugin } from '../core/plugin.js';
import { parseSchedule, ScheduleError } from './schedule.js';
import { TimerLoop } from './timer-loop.js';

export const timerPlugin: HostPlugin = {
  name: 'timer',
  triggers: ['timerTrigger'],
  async start(host) {
    const timezone = host.env.WEBSITE_TIME_ZONE || host.env.TZ || 'UTC';
    const loops: TimerLoop[] = [];
    for (const fn of host.registry.byTriggerType('timerTrigger')) {
      const raw = String(fn.trigger.schedule ?? '');
      let schedule;
      try {
        schedule = parseSchedule(raw, host.env, timezone);
      } catch (err) {
        const why = err instanceof ScheduleError ? err.message : String(err);
        throw new Error(`timer function "${fn.name}" has an invalid schedule "${raw}": ${why}`);
      }
      loops.push(new TimerLoop(host, fn, schedule, fn.trigger.runOnStartup === true));
      host.announce(`Timer ${fn.name}: ${schedule.description}${fn.trigger.runOnStartup ? ', runs on start-up' : ''}`);
    }
    for (const loop of loops) loop.start();
    return { stop: async () => void (await Promise.all(loops.map((l) => l.stop()))) };
  },
};

export { parseSchedule, ScheduleError } from './schedule.js';
export type { Schedule } from './schedule.js';
export type { TimerInfo } from './timer-loop.js';
