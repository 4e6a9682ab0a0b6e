// Recommendation rails: the signed-in user's (GET /api/me/recommendations) and the city's trend
// for everyone (GET /api/recommendations), and the profile's home city.
import { get, query } from './client';
import type { Rail } from './types';

export const personalRail = (city: string, signal?: AbortSignal) =>
  get<Rail>(`/api/me/recommendations${query({ city, limit: 10 })}`, signal);

export const trendingRail = (city: string, signal?: AbortSignal) =>
  get<Rail>(`/api/recommendations${query({ city, limit: 10 })}`, signal);

export const profileCity = async () => (await get<{ city?: string }>('/api/me/profile')).city;
