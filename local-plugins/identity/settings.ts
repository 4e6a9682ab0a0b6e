// MARQUEE_DEV_IDENTITY: the dev identity provider's switch (on unless "false"), read by the provider
// and by the Marquee plugin that points the app's AUTH_* settings at it.
import { z } from 'zod';

const Schema = z.object({
  MARQUEE_DEV_IDENTITY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export function devIdentityOn(env: NodeJS.ProcessEnv): boolean {
  const result = Schema.safeParse(env);
  if (!result.success)
    throw new Error(
      `setting MARQUEE_DEV_IDENTITY: ${result.error.issues[0]!.message} (got ${JSON.stringify(env.MARQUEE_DEV_IDENTITY)})`,
    );
  return result.data.MARQUEE_DEV_IDENTITY;
}
