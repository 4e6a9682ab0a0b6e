// What booking creation relies on from ShowClaims (shared/booking/store.ts): one active booking per
// (user, show), taken over only from a booking that is no longer active.
import { describe, expect, it } from 'vitest';
import type { ShowClaims } from '../../shared/booking/store.js';
import { unique } from './fixtures.js';

const never = async () => {
  throw new Error('isActive must not be asked');
};

export function showClaimsCases(make: () => ShowClaims): void {
  describe('ShowClaims', () => {
    it('gives a free slot to the first booking, and again to the same booking', async () => {
      const claims = make();
      const [user, show] = [unique('user'), unique('show')];
      expect(await claims.claim(user, show, 'bk-1', never)).toBeUndefined();
      expect(await claims.claim(user, show, 'bk-1', never)).toBeUndefined();
    });

    it('answers the holder while it is active, and hands the slot over once it is not', async () => {
      const claims = make();
      const [user, show] = [unique('user'), unique('show')];
      await claims.claim(user, show, 'bk-1', never);
      const asked: string[] = [];
      expect(
        await claims.claim(user, show, 'bk-2', async (id) => {
          asked.push(id);
          return true;
        }),
      ).toBe('bk-1');
      expect(await claims.claim(user, show, 'bk-2', async () => false)).toBeUndefined();
      expect(await make().claim(user, show, 'bk-3', async (id) => id === 'bk-2')).toBe('bk-2');
      expect(asked).toEqual(['bk-1']);
    });

    it('keeps slots of other users and other shows apart', async () => {
      const claims = make();
      const [user, show] = [unique('user'), unique('show')];
      await claims.claim(user, show, 'bk-1', never);
      expect(await claims.claim(unique('user'), show, 'bk-2', never)).toBeUndefined();
      expect(await claims.claim(user, unique('show'), 'bk-3', never)).toBeUndefined();
    });

    it('lets exactly one of several bookings racing for a stale slot take it', async () => {
      const [user, show] = [unique('user'), unique('show')];
      await make().claim(user, show, 'bk-old', never);
      const racers = ['bk-a', 'bk-b', 'bk-c', 'bk-d'];
      const answers = await Promise.all(
        racers.map((id) => make().claim(user, show, id, async (holder) => holder !== 'bk-old')),
      );
      const winners = racers.filter((_, i) => answers[i] === undefined);
      expect(winners).toHaveLength(1);
      expect(answers.filter((a) => a !== undefined).every((a) => a === winners[0])).toBe(true);
    });
  });
}
