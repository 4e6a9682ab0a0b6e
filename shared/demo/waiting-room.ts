// The demo's hot on-sale (DEMO_DATA=true): the next stadium show in Mumbai sells through the
// waiting room, opening a few minutes after the app starts, so `npm start` shows the queue, the
// draw at opening and the admission (docs/architecture.md, Waiting room). A room already there —
// a restart on the same data folder — is left as it is, queue and all.
import type { CatalogService } from '../catalog/service.js';
import type { WaitingRoomService } from '../waiting-room/service.js';
import { addDays, localDate } from '../domain/zoned-time.js';

export const DEMO_OPENS_AFTER_MS = 3 * 60_000;

export async function openDemoWaitingRoom(
  catalog: Pick<CatalogService, 'show'>,
  rooms: Pick<WaitingRoomService, 'room' | 'configure'>,
  now: number,
): Promise<string | undefined> {
  const today = localDate(now, 'Asia/Kolkata');
  for (let d = 0; d < 4; d++) {
    // The stadium's one evening show a day (shared/demo/generate.ts names it so).
    const id = `shw-mum-${addDays(today, d).replace(/-/g, '')}-arena-a-0`;
    const show = await catalog.show(id);
    if (!show || Date.parse(show.startsAt) < now + 3_600_000) continue;
    if (await rooms.room(id)) return id;
    await rooms.configure(
      [id],
      {
        opensAt: new Date(now + DEMO_OPENS_AFTER_MS).toISOString(),
        admitPerMinute: 300,
        admissionMinutes: 10,
        maxTicketsPerUser: 6,
      },
      'demo-data',
    );
    return id;
  }
  return undefined;
}
