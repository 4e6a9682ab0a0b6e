// Posters: the catalog's image when it names an absolute URL, else a generated one — a duotone
// gradient and a geometric motif picked from a hash of the title, with the title set large.
// Generated posters cost no request and stay legible at every size.
import type { Movie } from '../api/types';

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const PALETTES: [string, string, string][] = [
  ['#3b0a45', '#c2185b', '#ffd6e0'],
  ['#0b2545', '#1f6f8b', '#e0f2ff'],
  ['#1b4332', '#52b788', '#e9f7ef'],
  ['#3d1f00', '#d97706', '#fff4e0'],
  ['#1e1b4b', '#6d28d9', '#ede9fe'],
  ['#450a0a', '#dc2626', '#fee2e2'],
  ['#042f2e', '#0d9488', '#ccfbf1'],
  ['#27272a', '#a16207', '#fef9c3'],
];

function wrap(title: string, max = 12): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of title.split(/\s+/)) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.slice(0, 4);
}

export function Poster({
  movie,
  size = 'md',
}: {
  movie: Pick<Movie, 'id' | 'title' | 'genres' | 'poster' | 'kind'>;
  size?: 'md' | 'lg';
}) {
  if (movie.poster && /^https?:\/\//.test(movie.poster)) {
    return <img class={`poster poster-${size}`} src={movie.poster} alt="" loading="lazy" decoding="async" />;
  }
  const h = hash(movie.id + movie.title);
  const [dark, mid, light] = PALETTES[h % PALETTES.length]!;
  const motif = (h >>> 8) % 4;
  const lines = wrap(movie.title.toUpperCase());
  const id = `g${h.toString(36)}`;
  const fontSize = lines.some((l) => l.length > 9) ? 17 : 21;
  return (
    <svg
      class={`poster poster-${size}`}
      viewBox="0 0 200 300"
      role="img"
      aria-label={`Poster: ${movie.title}`}
      preserveAspectRatio="xMidYMid slice"
    >
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="0.4" y2="1">
          <stop offset="0" stop-color={mid} />
          <stop offset="1" stop-color={dark} />
        </linearGradient>
      </defs>
      <rect width="200" height="300" fill={`url(#${id})`} />
      {motif === 0 && <circle cx="150" cy="80" r="70" fill={light} opacity="0.18" />}
      {motif === 1 &&
        [0, 1, 2, 3, 4].map((i) => (
          <rect
            key={i}
            x={-40 + i * 50}
            y="-20"
            width="18"
            height="200"
            fill={light}
            opacity="0.09"
            transform="rotate(25)"
          />
        ))}
      {motif === 2 &&
        [60, 90, 120].map((r) => (
          <circle key={r} cx="100" cy="110" r={r} fill="none" stroke={light} stroke-width="2" opacity="0.16" />
        ))}
      {motif === 3 && <path d="M0 190 L100 70 L200 190 Z" fill={light} opacity="0.14" />}
      {movie.kind === 'event' && (
        <text x="16" y="34" fill={light} font-size="12" font-weight="700" letter-spacing="3">
          LIVE
        </text>
      )}
      {lines.map((l, i) => (
        <text
          key={i}
          x="16"
          y={300 - 40 - (lines.length - 1 - i) * (fontSize + 4)}
          fill="#fff"
          font-size={fontSize}
          font-weight="800"
          font-family="system-ui, sans-serif"
        >
          {l}
        </text>
      ))}
      <text x="16" y="284" fill={light} font-size="11" opacity="0.9" font-family="system-ui, sans-serif">
        {movie.genres.slice(0, 2).join(' · ')}
      </text>
    </svg>
  );
}
