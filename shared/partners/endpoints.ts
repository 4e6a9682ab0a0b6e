// Operators' side of partner webhooks (docs/architecture.md, Partner webhooks): register an endpoint
// (its signing secret is answered once and kept only in the signing-secret store), list, read,
// change, disable or enable, delete, and rotate the secret with an overlap during which the old and
// the new one both sign. Each endpoint URL passes the URL policy here, and again at every delivery.
import { randomBytes } from 'node:crypto';
import { invalidInput, notFound, type FieldError } from '../errors.js';
import { checkEndpointUrl, type UrlPolicy } from '../domain/partner-webhooks/url-policy.js';
import type { EndpointInput, EndpointPatch, PartnerEndpoint } from './model.js';
import type { EndpointStore, SigningSecrets } from './ports.js';

export interface PartnerEndpointsDeps {
  endpoints: EndpointStore;
  secrets: SigningSecrets;
  clock: () => number;
  urlPolicy: UrlPolicy;
  /** How long a replaced secret keeps signing after a rotation. */
  overlapSeconds: number;
  /** Told after every change, so the dispatcher's short-lived copy of the list is dropped. */
  changed?: () => void;
}

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export const newSigningSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export class PartnerEndpoints {
  constructor(private readonly deps: PartnerEndpointsDeps) {}

  async create(input: EndpointInput, operatorId?: string): Promise<{ endpoint: PartnerEndpoint; secret: string }> {
    this.checkUrl(input.url);
    const now = new Date(this.deps.clock()).toISOString();
    const id = `pe-${randomBytes(8).toString('hex')}`;
    const secret = newSigningSecret();
    const secretName = `whsec-${id}-1`;
    // The secret first: an endpoint that exists can always sign.
    await this.deps.secrets.put(secretName, secret);
    const endpoint: PartnerEndpoint = {
      id,
      partnerId: input.partnerId,
      name: input.name,
      url: input.url,
      events: input.events,
      ...(input.filter ? { filter: input.filter } : {}),
      status: 'enabled',
      secrets: [{ name: secretName, createdAt: now }],
      ...(operatorId ? { createdBy: operatorId } : {}),
      health: { failureStreak: 0 },
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.endpoints.create(endpoint);
    this.deps.changed?.();
    return { endpoint, secret };
  }

  list(partnerId?: string): Promise<PartnerEndpoint[]> {
    return this.deps.endpoints.list(partnerId);
  }

  async get(id: string): Promise<PartnerEndpoint> {
    const endpoint = await this.deps.endpoints.get(id);
    if (!endpoint) throw notFound(`Partner endpoint ${id}`);
    return endpoint;
  }

  async update(id: string, patch: EndpointPatch): Promise<PartnerEndpoint> {
    if (patch.url !== undefined) this.checkUrl(patch.url);
    const now = new Date(this.deps.clock()).toISOString();
    const updated = await this.deps.endpoints.mutate(id, (e) => {
      const next: PartnerEndpoint = { ...e, updatedAt: now };
      if (patch.name !== undefined) next.name = patch.name;
      if (patch.url !== undefined) next.url = patch.url;
      if (patch.events !== undefined) next.events = patch.events;
      if (patch.filter === null) delete next.filter;
      else if (patch.filter !== undefined) next.filter = patch.filter;
      if (patch.status === 'disabled' && e.status === 'enabled') {
        next.status = 'disabled';
        next.disabledReason = 'operator';
        next.disabledAt = now;
      }
      if (patch.status === 'enabled' && e.status === 'disabled') {
        // A fresh start: the failures that disabled it are history.
        next.status = 'enabled';
        delete next.disabledReason;
        delete next.disabledAt;
        next.health = { ...e.health, failureStreak: 0 };
        delete next.health.failingSince;
      }
      return next;
    });
    if (!updated) throw notFound(`Partner endpoint ${id}`);
    this.deps.changed?.();
    return updated;
  }

  async remove(id: string): Promise<void> {
    const endpoint = await this.get(id);
    await this.deps.endpoints.remove(id);
    this.deps.changed?.();
    await Promise.all(endpoint.secrets.map((s) => this.deps.secrets.remove(s.name)));
  }

  /** A new secret signs from now; the current ones keep signing for the overlap, then stop. */
  async rotate(id: string): Promise<{ endpoint: PartnerEndpoint; secret: string }> {
    const current = await this.get(id);
    const now = this.deps.clock();
    const secret = newSigningSecret();
    const secretName = `whsec-${id}-${maxSerial(current) + 1}`;
    await this.deps.secrets.put(secretName, secret);
    const overlapEnds = new Date(now + this.deps.overlapSeconds * 1000).toISOString();
    const expired: string[] = [];
    const endpoint = await this.deps.endpoints.mutate(id, (e) => {
      expired.length = 0;
      const kept = e.secrets.flatMap((s) => {
        if (s.expiresAt && Date.parse(s.expiresAt) <= now) {
          expired.push(s.name);
          return [];
        }
        return [{ ...s, expiresAt: s.expiresAt && s.expiresAt < overlapEnds ? s.expiresAt : overlapEnds }];
      });
      const fresh = { name: secretName, createdAt: new Date(now).toISOString() };
      return { ...e, secrets: [fresh, ...kept], updatedAt: fresh.createdAt };
    });
    if (!endpoint) throw notFound(`Partner endpoint ${id}`);
    this.deps.changed?.();
    // Secrets past their overlap sign nothing any more; dropping them is tidiness, not safety.
    await Promise.all(expired.map((name) => this.deps.secrets.remove(name)));
    return { endpoint, secret };
  }

  private checkUrl(url: string): void {
    const verdict = checkEndpointUrl(url, this.deps.urlPolicy);
    if (!verdict.ok) {
      const errors: FieldError[] = [{ field: 'body.url', message: verdict.reason }];
      throw invalidInput(`Invalid body: body.url (${verdict.reason})`, errors);
    }
  }
}

function maxSerial(e: PartnerEndpoint): number {
  return Math.max(0, ...e.secrets.map((s) => Number(/-(\d+)$/.exec(s.name)?.[1] ?? 0)));
}
