// The signed-in user's profile, notifications and web push subscription (docs/architecture.md,
// Notifications): GET/PUT /api/me/profile, GET /api/me/notifications, POST …/{id}/read,
// /api/me/push-subscriptions.
import { get, post, request } from './client';

export interface NotificationPrefs {
  email: boolean;
  sms: boolean;
  push: boolean;
  whatsapp: boolean;
  reminderHours: number[];
}

export interface Profile {
  name: string;
  email?: string;
  phone?: string;
  city?: string;
  locale?: 'en' | 'hi';
  languages: string[];
  genres: string[];
  notifications: NotificationPrefs;
}

export interface InboxItem {
  id: string;
  event: string;
  title: string;
  body: string;
  link?: string;
  read: boolean;
  createdAt: string;
}

export const myProfile = () => get<Profile>('/api/me/profile');

export async function saveProfile(p: Profile): Promise<Profile> {
  return (await request<Profile>('/api/me/profile', { method: 'PUT', body: p })).body;
}

export const myNotifications = () => get<{ items: InboxItem[]; unread: number }>('/api/me/notifications?limit=20');

export const markRead = (id: string) => post<InboxItem>(`/api/me/notifications/${encodeURIComponent(id)}/read`, {});

export const pushKey = () => get<{ publicKey: string }>('/api/me/push-subscriptions/key');

export const addPushSubscription = (sub: PushSubscriptionJSON) =>
  post<{ id: string }>('/api/me/push-subscriptions', sub);

export const removePushSubscription = (endpoint: string) =>
  request<void>('/api/me/push-subscriptions', { method: 'DELETE', body: { endpoint } });
