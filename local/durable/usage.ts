// The Durable engine's share of the usage meter (core/usage.ts): what one committed episode did, in
// the Durable Task Scheduler's billing terms (docs/capacity.md) — a start, an activity scheduled and
// its result, a timer created and fired, an external event, a sub-orchestration and its result —
// read off the history events the episode appended.
import { usage } from '../core/usage.js';
import { EventType, type HistoryEvent } from './history.js';

export function countEpisode(events: readonly HistoryEvent[]): void {
  const d = usage.c.durable;
  d.episodes++;
  for (const e of events) {
    switch (e.EventType) {
      case EventType.ExecutionStarted:
        d.orchestrationsStarted++;
        break;
      case EventType.TaskScheduled:
        d.activitiesScheduled++;
        break;
      case EventType.TaskCompleted:
      case EventType.TaskFailed:
        d.activityResults++;
        break;
      case EventType.TimerCreated:
        d.timersCreated++;
        break;
      case EventType.TimerFired:
        d.timersFired++;
        break;
      case EventType.EventRaised:
        d.eventsRaised++;
        break;
      case EventType.SubOrchestrationInstanceCreated:
        d.subOrchestrationsStarted++;
        break;
      case EventType.SubOrchestrationInstanceCompleted:
      case EventType.SubOrchestrationInstanceFailed:
        d.subOrchestrationResults++;
        break;
    }
  }
}
