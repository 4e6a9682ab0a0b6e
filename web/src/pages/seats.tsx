// The seat picker: the show's real layout with live availability, selection by click or keyboard
// (up to 10 seats in one block), "best available" for N, and the hand-off to checkout. Seats taken
// by others while you look turn grey at once; a chosen seat that is taken is dropped with a message.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { availability as loadAvailability, layout as loadLayout, show as loadShow } from '../api/catalog';
import { ApiError } from '../api/client';
import { booking as loadBooking, releaseSeats, startBooking } from '../api/bookings';
import type { Availability, City, Money, Show } from '../api/types';
import { session } from '../auth';
import { allCities } from '../city';
import { dateLong, money, time } from '../format';
import { useAsync, useTitle } from '../hooks';
import { navigate } from '../router';
import { useStore } from '../store';
import { ErrorBox, Loading, Notice } from '../components/ui';
import { isNotFound, NotFound } from '../components/not-found';
import { MAX_SEATS_PER_HOLD } from '../../../shared/contracts/seats.js';
import { indexSeats, lostSeats, seatName, toggleSeat, type SeatIndex } from '../seats/model';
import { BestAvailableForm } from '../seats/best-available';
import { Legend, SeatMap } from '../seats/seat-map';
import { StadiumOverview } from '../seats/overview';
import { useLiveAvailability } from '../seats/use-live-availability';
import type { LiveStatus } from '../realtime';

const MANY_SECTIONS = 6;
const selKey = (showId: string) => `marquee.selection.${showId}`;

function savedSelection(showId: string): string[] {
  try {
    return JSON.parse(sessionStorage.getItem(selKey(showId)) ?? '[]') as string[];
  } catch {
    return [];
  }
}

/** One Idempotency-Key per (show, seats): a retried click never books twice; a new choice is a new booking. */
function keyFor(showId: string, seats: string[]): string {
  const id = `${showId}|${[...seats].sort().join(',')}`;
  const store = `marquee.key.${id}`;
  let key = sessionStorage.getItem(store);
  if (!key) {
    key = crypto.randomUUID();
    sessionStorage.setItem(store, key);
  }
  return key;
}

interface SeatData {
  show: Show;
  avail: Availability;
  city?: City;
  /** A screen's layout comes with the page; a stadium's is loaded once its overview is drawn (StadiumFirst). */
  index?: SeatIndex;
}

const manySections = (avail: Availability) => avail.sections.length > MANY_SECTIONS;

async function loadSeatData(id: string): Promise<SeatData> {
  // Show, availability and cities load side by side.
  const availP = loadAvailability(id);
  const citiesP = allCities();
  // Awaited below; when the show fails first, their failures must not go unhandled.
  availP.catch(() => undefined);
  citiesP.catch(() => undefined);
  const showP = loadShow(id);
  // A screen's layout (a few KB) is needed for the first drawing; a stadium's (half a megabyte,
  // 20,400 seats to index) is not: its overview draws from the availability's summary of the
  // sections (docs/seat-map.md). The availability tells which; a movie's screen is not a stadium, so
  // its layout starts with whichever answers first (loadLayout shares one request per id).
  showP.then(
    (show) => {
      if (show.kind === 'movie') loadLayout(show.layoutId).catch(() => undefined);
    },
    () => undefined,
  );
  const indexP = availP.then((a) => (manySections(a) ? undefined : loadLayout(a.layoutId).then(indexSeats)));
  indexP.catch(() => undefined);
  const show = await showP;
  const [avail, cities, index] = await Promise.all([availP, citiesP, indexP]);
  return { show, avail, index, city: cities.find((c) => c.id === show.city) };
}

/** A load begun ahead of the page (prefetchSeats), taken by the page that mounts within FRESH_MS. */
let ahead: { id: string; at: number; data: Promise<SeatData> } | undefined;
const FRESH_MS = 10_000;

/**
 * Starts loading a show's seat map before its page mounts: the waiting-room gate
 * (web/src/waiting-room/gate.tsx) calls it while it asks whether the show has a queue, so the show,
 * its layout (half a megabyte for the stadium) and availability no longer wait for that answer.
 */
export function prefetchSeats(id: string): void {
  if (ahead?.id === id && Date.now() - ahead.at < FRESH_MS) return;
  const data = loadSeatData(id);
  data.catch(() => undefined); // the page that takes it reports a failure
  ahead = { id, at: Date.now(), data };
}

function takeSeatData(id: string): Promise<SeatData> {
  const prefetched = ahead?.id === id && Date.now() - ahead.at < FRESH_MS ? ahead.data : undefined;
  ahead = undefined; // once: a retry or a later visit loads afresh
  return prefetched ?? loadSeatData(id);
}

export function SeatsPage({ id }: { id: string }) {
  const user = useStore(session);
  const data = useAsync(() => takeSeatData(id), [id]);
  useTitle(data.data ? `Seats · ${data.data.show.title}` : 'Seats');
  if (data.error)
    return isNotFound(data.error) ? (
      <NotFound what="Show">This show is not (or no longer) on sale.</NotFound>
    ) : (
      <ErrorBox error={data.error} retry={data.reload} />
    );
  if (!data.data) return <Loading label="Loading the seat map…" />;
  const { show, avail, city, index } = data.data;
  return index ? (
    <Picker key={id} show={show} index={index} initial={avail} timeZone={city?.timeZone} signedIn={!!user} />
  ) : (
    <StadiumFirst key={id} show={show} avail={avail} timeZone={city?.timeZone} signedIn={!!user} />
  );
}

/**
 * A stadium: the overview is drawn at once from the availability's summary, the layout is loaded
 * after that first frame, and then the picker takes over, with the stand chosen meanwhile open.
 */
function StadiumFirst({
  show,
  avail,
  timeZone,
  signedIn,
}: {
  show: Show;
  avail: Availability;
  timeZone?: string;
  signedIn: boolean;
}) {
  const [chosen, setChosen] = useState<string>();
  const [loaded, setLoaded] = useState<{ index?: SeatIndex; error?: Error }>({});
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let mounted = true;
    // The overview's first frame (bench/web.ts measures to it), then the layout.
    const frame = requestAnimationFrame(() => {
      if (attempt === 0) performance.mark('marquee:seatmap-rendered');
      loadLayout(avail.layoutId).then(
        (layout) => mounted && setLoaded({ index: indexSeats(layout) }),
        (error: Error) => mounted && setLoaded({ error }),
      );
    });
    return () => {
      mounted = false;
      cancelAnimationFrame(frame);
    };
  }, [attempt]);
  if (loaded.index)
    return (
      <Picker
        show={show}
        index={loaded.index}
        initial={avail}
        timeZone={timeZone}
        signedIn={signedIn}
        initialSection={chosen}
      />
    );
  const prices = avail.prices ?? show.prices;
  return (
    <section class="picker">
      <PickerHead show={show} avail={avail} timeZone={timeZone} live="connecting" />
      <Stands show={show} avail={avail} prices={prices} chosen={chosen} onChoose={setChosen} />
      {loaded.error ? (
        <ErrorBox
          error={loaded.error}
          retry={() => {
            setLoaded({});
            setAttempt((n) => n + 1);
          }}
        />
      ) : (
        <Loading label={chosen ? 'Loading the stand’s seats…' : 'Loading the seat map…'} />
      )}
    </section>
  );
}

/** "Choose a stand": the overview of a stadium's stands, drawn from the availability alone. */
function Stands({
  show,
  avail,
  prices,
  chosen,
  onChoose,
}: {
  show: Show;
  avail: Availability;
  prices: Record<string, Money>;
  chosen: string | undefined;
  onChoose(sectionId: string): void;
}) {
  return (
    <nav class="sections" aria-labelledby="stands-h">
      <h2 id="stands-h">Choose a stand</h2>
      <StadiumOverview
        categories={avail.categories}
        sections={avail.sections}
        encoded={avail.seats}
        prices={prices}
        chosen={chosen}
        stage={show.kind === 'event' ? 'Pitch / stage' : 'Screen'}
        onChoose={onChoose}
      />
    </nav>
  );
}

/** The picker's heading, live-updates status and the show's standing notices. */
function PickerHead({
  show,
  avail,
  timeZone,
  live,
}: {
  show: Show;
  avail: Availability;
  timeZone?: string;
  live: LiveStatus;
}) {
  const cancelled = avail.status === 'cancelled' || show.status === 'cancelled';
  const started = Date.parse(show.startsAt) <= Date.now();
  return (
    <>
      <header class="picker-head">
        <h1>{show.title}</h1>
        <p>
          {show.venueName} · {show.screenName} · {dateLong(show.startsAt, timeZone)}, {time(show.startsAt, timeZone)} ·{' '}
          {show.format} · {show.language}
        </p>
        <p class={`live live-${live}`} role="status" aria-live="polite">
          <span class="dot" aria-hidden="true" />
          {live === 'live'
            ? 'Live: seats update as others book'
            : live === 'connecting'
              ? 'Connecting to live updates…'
              : 'Live updates unavailable; refreshing every 10 s'}
        </p>
      </header>
      {cancelled && <Notice kind="error">This show was cancelled.</Notice>}
      {started && !cancelled && <Notice kind="warn">This show has started; seats can no longer be booked.</Notice>}
      {show.nonRefundable && !cancelled && !started && (
        <Notice kind="info">Non-refundable: tickets for this show cannot be cancelled once paid.</Notice>
      )}
    </>
  );
}

function Picker({
  show,
  index,
  initial,
  timeZone,
  signedIn,
  initialSection,
}: {
  show: Show;
  index: SeatIndex;
  initial: Availability;
  timeZone?: string;
  signedIn: boolean;
  /** A stand chosen on the overview before the layout had loaded (StadiumFirst), opened in view. */
  initialSection?: string;
}) {
  const [selection, setSelection] = useState<string[]>(() =>
    lostSeats(index, initial.seats, savedSelection(show.id)).length ? [] : savedSelection(show.id),
  );
  const [message, setMessage] = useState<{
    kind: 'info' | 'warn' | 'error' | 'ok';
    text: string;
    link?: string;
    /** A booking of this user in progress for the show: resume it, or release it and book these seats. */
    inProgress?: string;
  }>();
  const [busy, setBusy] = useState(false);
  const many = index.layout.sections.length > MANY_SECTIONS;
  const [sectionId, setSectionId] = useState<string | undefined>(() =>
    many ? (initialSection ?? (selection[0] ? index.byId.get(selection[0])?.sectionId : undefined)) : undefined,
  );
  const booking = useRef(false);
  const mapRef = useRef<HTMLDivElement>(null);
  /** What to bring into view once the map has drawn it: a chosen stand's seats, or the picked seats. */
  const [reveal, setReveal] = useState<{ sectionId?: string; seatId?: string } | undefined>(() =>
    initialSection ? { sectionId: initialSection } : undefined,
  );
  useEffect(() => {
    if (!reveal) return;
    const map = mapRef.current;
    const seat = reveal.seatId && map?.querySelector(`[data-seat="${CSS.escape(reveal.seatId)}"]`);
    const smooth = matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
    if (seat) seat.scrollIntoView({ block: 'center', inline: 'center', behavior: smooth });
    else map?.scrollIntoView({ block: 'start', behavior: smooth });
  }, [reveal]);

  useEffect(() => sessionStorage.setItem(selKey(show.id), JSON.stringify(selection)), [selection, show.id]);

  // Marks the first paint of the map for the benchmark (bench/web.ts); a stadium's overview marked its own.
  useEffect(() => {
    if (!many) requestAnimationFrame(() => performance.mark('marquee:seatmap-rendered'));
  }, []);

  /** Drops chosen seats that others took, and says so. */
  const dropTaken = (next: Availability) => {
    const lost = lostSeats(index, next.seats, selection);
    // While our own booking request is in flight our seats turn unavailable because we hold them.
    if (lost.length && !booking.current) {
      setSelection((s) => s.filter((x) => !lost.includes(x)));
      setMessage({
        kind: 'warn',
        text: `${lost.length === 1 ? 'Seat' : 'Seats'} ${lost.map((x) => seatName(index, x)).join(', ')} ${lost.length === 1 ? 'was' : 'were'} just taken by someone else and ${lost.length === 1 ? 'has' : 'have'} been removed from your selection.`,
      });
    }
  };
  const { avail, live, seatsTaken } = useLiveAvailability(show.id, index, initial, dropTaken);

  const toggle = (seatId: string) => {
    const result = toggleSeat(index, avail.seats, selection, seatId);
    if (!result.ok) return setMessage({ kind: 'warn', text: result.reason });
    setSelection(result.selection);
    setMessage(result.note ? { kind: 'info', text: result.note } : undefined);
  };

  const book = async () => {
    if (!signedIn) return navigate(`/signin?next=${encodeURIComponent(`/shows/${show.id}`)}`);
    setBusy(true);
    setMessage(undefined);
    booking.current = true;
    try {
      const started = await startBooking({ showId: show.id, seatIds: selection }, keyFor(show.id, selection));
      sessionStorage.removeItem(selKey(show.id));
      navigate(`/bookings/${encodeURIComponent(started.bookingId)}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.code === 'SEATS_UNAVAILABLE') {
        const taken = (
          Array.isArray(err.problem.seats)
            ? err.problem.seats
            : Array.isArray(err.problem.seatIds)
              ? err.problem.seatIds
              : []
        ) as string[];
        const gone = taken.length ? taken : selection;
        seatsTaken(gone);
        setSelection((s) => s.filter((x) => !gone.includes(x)));
        setMessage({
          kind: 'error',
          text: `Sorry — ${gone.map((x) => seatName(index, x)).join(', ')} ${gone.length === 1 ? 'was' : 'were'} taken by someone else just now. Please choose again.`,
        });
      } else if (err.code === 'BOOKING_IN_PROGRESS' && typeof err.problem.bookingId === 'string') {
        setMessage({
          kind: 'warn',
          text: 'You already have a booking in progress for this show. Resume it, or release its seats and book these instead.',
          inProgress: err.problem.bookingId,
        });
      } else setMessage({ kind: 'error', text: err.message });
    } finally {
      booking.current = false;
      setBusy(false);
    }
  };

  /** Lets the other booking's seats go (it must have ended before a new one starts), then books these. */
  const releaseOtherAndBook = async (other: string) => {
    setBusy(true);
    try {
      const released = await releaseSeats(other);
      if (released.status === 'held' || released.status === 'paying') {
        // 202: the saga is still at it; wait for it briefly as the booking page would.
        for (let i = 0; i < 20; i++) {
          await new Promise((r) => setTimeout(r, 500));
          const b = await loadBooking(other);
          if (b.status !== 'held' && b.status !== 'paying') break;
        }
      }
    } catch (err) {
      // Nothing left to release (it was paid, or ended meanwhile): say so unless it ended.
      if (
        !(err instanceof ApiError) ||
        err.code !== 'BOOKING_NOT_RELEASABLE' ||
        err.problem.bookingStatus === 'confirmed'
      ) {
        setBusy(false);
        return setMessage({
          kind: 'error',
          text: err instanceof Error ? err.message : 'The other booking could not be released.',
          link: `/bookings/${other}`,
        });
      }
    }
    setBusy(false);
    await book();
  };

  const visible = useMemo(
    () => (many ? index.layout.sections.filter((s) => s.id === sectionId) : index.layout.sections),
    [index, many, sectionId],
  );
  const prices = avail.prices ?? show.prices;
  const currency = Object.values(prices)[0]?.currency ?? 'INR';
  const subtotal = selection.reduce((n, sid) => n + (prices[index.byId.get(sid)?.category ?? '']?.minor ?? 0), 0);
  const stage = show.kind === 'event' ? 'Stage' : 'Screen';
  const cancelled = avail.status === 'cancelled' || show.status === 'cancelled';
  const started = Date.parse(show.startsAt) <= Date.now();

  return (
    <section class="picker">
      <PickerHead show={show} avail={avail} timeZone={timeZone} live={live} />

      <div class="picker-tools">
        <BestAvailableForm
          showId={show.id}
          index={index}
          prices={prices}
          disabled={cancelled || started}
          onPicked={(best) => {
            setSelection(best.seatIds);
            if (many) setSectionId(best.sectionId);
            setReveal({ seatId: best.seatIds[0] });
          }}
          onMessage={setMessage}
        />
        <Legend index={index} />
      </div>

      <div aria-live="assertive" class="messages">
        {message && (
          <div
            class={`notice notice-${message.kind}`}
            role={message.kind === 'error' || message.kind === 'warn' ? 'alert' : 'status'}
          >
            {message.text} {message.link && <a href={message.link}>Go to that booking</a>}
            {message.inProgress && (
              <span class="inline-actions">
                <a class="btn btn-small" href={`/bookings/${encodeURIComponent(message.inProgress)}`}>
                  Resume that booking
                </a>
                <button
                  type="button"
                  class="btn btn-small btn-ghost"
                  disabled={busy}
                  onClick={() => void releaseOtherAndBook(message.inProgress!)}
                >
                  Release it and book these seats
                </button>
              </span>
            )}
          </div>
        )}
      </div>

      {many && (
        <Stands
          show={show}
          avail={avail}
          prices={prices}
          chosen={sectionId}
          onChoose={(id) => {
            setSectionId(id);
            setReveal({ sectionId: id });
          }}
        />
      )}

      {visible.length > 0 ? (
        <div ref={mapRef} class="seat-map-wrap">
          <SeatMap
            index={index}
            sections={visible}
            encoded={avail.seats}
            selection={selection}
            prices={prices}
            stage={stage}
            onToggle={toggle}
          />
        </div>
      ) : (
        <p class="hint">Choose a stand above to see its seats, or let us find the best available.</p>
      )}

      <div class="summary" aria-label="Your selection">
        <div>
          {selection.length ? (
            <>
              <strong>
                {selection.length} {selection.length === 1 ? 'seat' : 'seats'}:
              </strong>{' '}
              {selection.map((x) => seatName(index, x)).join(', ')}
              <br />
              <span>
                {money({ minor: subtotal, currency })}{' '}
                <span class="meta small">+ convenience fee and GST at checkout</span>
              </span>
            </>
          ) : (
            <span>No seats chosen. Pick up to {MAX_SEATS_PER_HOLD}.</span>
          )}
        </div>
        <div class="summary-actions">
          {selection.length > 0 && (
            <button type="button" class="btn btn-ghost" onClick={() => setSelection([])}>
              Clear
            </button>
          )}
          <button
            type="button"
            class="btn btn-primary"
            disabled={!selection.length || busy || cancelled || started}
            onClick={() => void book()}
          >
            {busy
              ? 'Holding seats…'
              : signedIn
                ? `Book ${selection.length || ''} ${selection.length === 1 ? 'seat' : 'seats'}`.replace('  ', ' ')
                : 'Sign in to book'}
          </button>
        </div>
      </div>
    </section>
  );
}
