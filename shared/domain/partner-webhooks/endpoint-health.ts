// An endpoint's health after a delivery attempt (docs/webhooks.md, Answering): a success clears the
// failure streak; a failure starts or extends it; `410 Gone` disables the endpoint at once, and a
// streak that has lasted `disableAfterMs` (5 days by default) without a single success disables it
// too. Pure: the dispatcher applies the verdict with a conditional write.

export interface EndpointHealth {
  lastSuccessAt?: string;
  lastFailureAt?: string;
  /** Start of the current run of failures; cleared by a success. */
  failingSince?: string;
  /** Failed attempts since the last success. */
  failureStreak: number;
  lastStatusCode?: number;
}

export interface AttemptResult {
  ok: boolean;
  statusCode?: number;
}

export interface HealthVerdict {
  health: EndpointHealth;
  disable?: 'gone' | 'failing';
}

export function healthAfter(h: EndpointHealth, r: AttemptResult, at: number, disableAfterMs: number): HealthVerdict {
  const iso = new Date(at).toISOString();
  const { failingSince: _f, ...rest } = h;
  if (r.ok) return { health: { ...rest, lastSuccessAt: iso, failureStreak: 0, lastStatusCode: r.statusCode } };
  const failingSince = h.failingSince ?? iso;
  const health = {
    ...h,
    lastFailureAt: iso,
    failingSince,
    failureStreak: h.failureStreak + 1,
    lastStatusCode: r.statusCode,
  };
  if (r.statusCode === 410) return { health, disable: 'gone' };
  if (at - Date.parse(failingSince) >= disableAfterMs) return { health, disable: 'failing' };
  return { health };
}

/**
 * Whether recording a success would change nothing worth a write: no streak to clear and a last
 * success under a minute old. A busy healthy endpoint is then not one hot document.
 */
export function successIsNews(h: EndpointHealth, at: number): boolean {
  return h.failureStreak > 0 || !h.lastSuccessAt || Date.parse(h.lastSuccessAt) <= at - 60_000;
}
