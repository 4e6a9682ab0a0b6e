// The admission a waiting room gave this tab, per show (sessionStorage: it is the user's for this
// visit only). Bookings of that show send it in the Admission-Token header (docs/architecture.md,
// Waiting room).
import { get, post } from '../api/client';

export interface RoomOverview {
  showId: string;
  enabled: boolean;
  opensAt?: string;
  open?: boolean;
  admitPerMinute?: number;
  admissionMinutes?: number;
  maxTicketsPerUser?: number;
  admitted?: number;
}

export interface QueueStatus {
  showId: string;
  state: 'waiting' | 'admitted' | 'expired';
  opensAt: string;
  position?: number;
  ahead?: number;
  etaSeconds?: number;
  admitPerMinute: number;
  admitted: number;
  rank?: number;
  admissionToken?: string;
  admissionExpiresAt?: string;
}

export const roomOf = (showId: string) => get<RoomOverview>(`/api/shows/${encodeURIComponent(showId)}/waiting-room`);
export const joinQueue = async (showId: string) =>
  (await post<QueueStatus & { ticket: string }>(`/api/shows/${encodeURIComponent(showId)}/queue`, {})).body;
export const queueStatus = (ticket: string) => get<QueueStatus>(`/api/queue/${encodeURIComponent(ticket)}`);

const key = (showId: string) => `marquee.admission.${showId}`;

export function rememberAdmission(showId: string, token: string, expiresAt: string): void {
  sessionStorage.setItem(key(showId), JSON.stringify({ token, expiresAt }));
}

export function forgetAdmission(showId: string): void {
  sessionStorage.removeItem(key(showId));
}

/** The tab's unexpired admission to `showId`, if any. */
export function admissionFor(showId: string): { token: string; expiresAt: string } | undefined {
  try {
    const v = JSON.parse(sessionStorage.getItem(key(showId)) ?? 'null') as { token: string; expiresAt: string } | null;
    return v && Date.parse(v.expiresAt) > Date.now() ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The header a booking of `showId` carries (none without an admission). */
export function admissionHeader(showId: string): Record<string, string> {
  const a = admissionFor(showId);
  return a ? { 'admission-token': a.token } : {};
}
