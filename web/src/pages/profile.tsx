// My profile (/me): name, contact details, city, languages and genres, which channels notifications
// use and their language, the reminder, and web push in this browser. Saved with PUT /api/me/profile;
// a field the API refuses is named next to it.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { myProfile, saveProfile, type Profile } from '../api/me';
import { session } from '../auth';
import { useAsync, useTitle } from '../hooks';
import { currentSubscription, disablePush, enablePush, pushSupported } from '../push';
import { useStore } from '../store';
import { ErrorBox, Loading, Notice } from '../components/ui';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function ProfilePage() {
  useTitle('My profile');
  const user = useStore(session);
  const q = useAsync(async () => (user ? myProfile() : undefined), [user?.sub]);
  if (!user)
    return (
      <Notice kind="warn">
        Sign in to see your profile. <a href="/signin?next=/me">Sign in</a>
      </Notice>
    );
  if (q.error) return <ErrorBox error={q.error} retry={q.reload} />;
  if (!q.data) return <Loading />;
  return <ProfileForm initial={q.data} />;
}

function ProfileForm({ initial }: { initial: Profile }) {
  const [p, setP] = useState<Profile>(initial);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string; fields?: Record<string, string> }>();
  const set = (change: Partial<Profile>) => setP({ ...p, ...change });
  const setPrefs = (change: Partial<Profile['notifications']>) =>
    setP({ ...p, notifications: { ...p.notifications, ...change } });
  const fieldError = (name: string) => outcome?.fields?.[`body.${name}`];

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    try {
      // Only the fields the API takes: the profile as read also carries its id and timestamps.
      const body: Profile = {
        name: p.name,
        email: p.email || undefined,
        phone: p.phone || undefined,
        city: p.city || undefined,
        locale: p.locale,
        languages: p.languages,
        genres: p.genres,
        notifications: p.notifications,
      };
      setP(await saveProfile(body));
      setOutcome({ ok: true, message: 'Saved.' });
    } catch (err) {
      const fields: Record<string, string> = {};
      if (err instanceof ApiError)
        for (const f of (err.problem.errors as { field: string; message: string }[] | undefined) ?? [])
          fields[f.field] = f.message;
      setOutcome({ ok: false, message: (err as Error).message, fields });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section>
      <h1>My profile</h1>
      <form class="profile" onSubmit={submit} noValidate>
        <Field label="Name" name="name" error={fieldError('name')}>
          <input id="name" value={p.name} onInput={(e) => set({ name: e.currentTarget.value })} required />
        </Field>
        <Field label="Email" name="email" error={fieldError('email')}>
          <input id="email" type="email" value={p.email ?? ''} onInput={(e) => set({ email: e.currentTarget.value })} />
        </Field>
        <Field label="Phone (with country code, e.g. +919812345678)" name="phone" error={fieldError('phone')}>
          <input id="phone" type="tel" value={p.phone ?? ''} onInput={(e) => set({ phone: e.currentTarget.value })} />
        </Field>
        <Field label="City" name="city" error={fieldError('city')}>
          <input id="city" value={p.city ?? ''} onInput={(e) => set({ city: e.currentTarget.value })} />
        </Field>
        <Field label="Languages (comma separated)" name="languages" error={fieldError('languages')}>
          <input
            id="languages"
            value={p.languages.join(', ')}
            onChange={(e) => set({ languages: list(e.currentTarget.value) })}
          />
        </Field>
        <Field label="Genres (comma separated)" name="genres" error={fieldError('genres')}>
          <input
            id="genres"
            value={p.genres.join(', ')}
            onChange={(e) => set({ genres: list(e.currentTarget.value) })}
          />
        </Field>
        <fieldset>
          <legend>Notifications</legend>
          {(['email', 'sms', 'push'] as const).map((c) => (
            <label key={c}>
              <input
                type="checkbox"
                name={`notify-${c}`}
                checked={p.notifications[c]}
                onChange={(e) => setPrefs({ [c]: e.currentTarget.checked })}
              />{' '}
              {c === 'sms' ? 'SMS' : c === 'push' ? 'Push' : 'Email'}
            </label>
          ))}
          <label>
            Language{' '}
            <select
              name="locale"
              value={p.locale ?? 'en'}
              onChange={(e) => set({ locale: e.currentTarget.value as 'en' | 'hi' })}
            >
              <option value="en">English</option>
              <option value="hi">हिन्दी</option>
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              name="reminder"
              checked={p.notifications.reminderHours.length > 0}
              onChange={(e) => setPrefs({ reminderHours: e.currentTarget.checked ? [3] : [] })}
            />{' '}
            Remind me before the show
          </label>
        </fieldset>
        <button type="submit" class="btn" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {outcome && <Notice kind={outcome.ok ? 'ok' : 'error'}>{outcome.message}</Notice>}
      </form>
      <PushToggle />
    </section>
  );
}

function Field({
  label,
  name,
  error,
  children,
}: {
  label: string;
  name: string;
  error?: string;
  children: preact.ComponentChildren;
}) {
  return (
    <div class="field" data-field={name}>
      <label for={name}>{label}</label>
      {children}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function PushToggle() {
  const [on, setOn] = useState<boolean | undefined>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    void currentSubscription().then(
      (s) => setOn(Boolean(s)),
      () => setOn(false),
    );
  }, []);
  if (!pushSupported()) return <p>This browser cannot receive push notifications.</p>;
  const toggle = async () => {
    setError(undefined);
    try {
      if (on) await disablePush();
      else await enablePush();
      setOn(!on);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div class="push-toggle">
      <button type="button" class="btn btn-ghost" disabled={on === undefined} onClick={() => void toggle()}>
        {on ? 'Turn off push in this browser' : 'Turn on push in this browser'}
      </button>
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}
