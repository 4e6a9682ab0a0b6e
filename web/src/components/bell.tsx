// The bell in the header: the unread count of the in-app inbox (GET /api/me/notifications), a list
// that opens on click, and marking an item read when it is opened. It refreshes when opened and
// every 30 s (the server also nudges the user's Web PubSub channel, which the bell does not listen
// to yet).
import { useEffect, useState } from 'preact/hooks';
import { markRead, myNotifications, type InboxItem } from '../api/me';

export function Bell() {
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<{ items: InboxItem[]; unread: number }>();
  const load = () => void myNotifications().then(setData, () => undefined);
  useEffect(() => {
    load();
    const timer = setInterval(load, 30_000);
    return () => clearInterval(timer);
  }, []);
  const unread = data?.unread ?? 0;
  return (
    <div class="bell">
      <button
        type="button"
        class="btn btn-ghost btn-small"
        aria-expanded={open}
        aria-label={`Notifications, ${unread} unread`}
        onClick={() => {
          setOpen(!open);
          if (!open) load();
        }}
      >
        <span aria-hidden="true">🔔</span>
        {unread > 0 && <span class="bell-count">{unread}</span>}
      </button>
      {open && (
        <ul class="bell-list" aria-label="Notifications">
          {!data?.items.length && <li>No notifications yet.</li>}
          {data?.items.map((n) => (
            <li key={n.id} data-read={n.read}>
              <a
                href={n.link ? new URL(n.link).pathname : '#'}
                onClick={() => {
                  setOpen(false);
                  if (!n.read) void markRead(n.id).then(load);
                }}
              >
                <strong>{n.title}</strong>
                <span>{n.body}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
