// The stadium's overview: each stand drawn where it is around the pitch or stage (the section
// positions in the availability's layout summary, docs/seat-map.md), filled in its price
// category's colour and faded as it sells out, with a legend of prices from cheapest to dearest.
// A stand is a button: choosing it opens its seats below. Layouts without positions get an even
// ring in layout order. It needs no layout, so it is drawn before the stadium's layout loads.
import { useMemo } from 'preact/hooks';
import type { Category, Money } from '../api/types';
import { money } from '../format';
import { FREE } from '../../../shared/contracts/seats.js';
import type { SectionPosition, SectionSummary } from '../../../shared/contracts/layout.js';
import { categoryClass } from './seat-map';

interface Props {
  /** The availability's summary of the layout (docs/seat-map.md): the overview needs no layout. */
  categories: readonly Category[];
  sections: readonly SectionSummary[];
  encoded: string;
  prices: Record<string, Money>;
  chosen: string | undefined;
  stage: string;
  onChoose(sectionId: string): void;
}

const W = 400;
const H = 300;
const CX = W / 2;
const CY = H / 2;
/** Radii of the pitch, and of each ring's inner and outer edge (x, y). */
const PITCH = { rx: 110, ry: 62 };
const RINGS = [
  { inner: { rx: 122, ry: 74 }, outer: { rx: 178, ry: 124 } },
  { inner: { rx: 184, ry: 130 }, outer: { rx: 198, ry: 146 } },
];

function positionOf(section: SectionSummary, i: number, n: number): SectionPosition {
  return section.position ?? { angle: (360 / n) * (i + 0.5), span: 360 / n };
}

const point = (deg: number, r: { rx: number; ry: number }) => {
  const a = (deg * Math.PI) / 180;
  return `${(CX + r.rx * Math.sin(a)).toFixed(1)},${(CY - r.ry * Math.cos(a)).toFixed(1)}`;
};

/** A stand's outline: its arc on the inner edge, then back along the outer edge. */
function standPath(p: SectionPosition): string {
  const ring = RINGS[Math.min(p.ring ?? 0, RINGS.length - 1)]!;
  const gap = 0.8;
  const from = p.angle - p.span / 2 + gap;
  const to = p.angle + p.span / 2 - gap;
  const steps = 6;
  const pts: string[] = [];
  for (let k = 0; k <= steps; k++) pts.push(point(from + ((to - from) * k) / steps, ring.inner));
  for (let k = steps; k >= 0; k--) pts.push(point(from + ((to - from) * k) / steps, ring.outer));
  return `M${pts.join('L')}Z`;
}

function labelAt(p: SectionPosition): { x: number; y: number } {
  const ring = RINGS[Math.min(p.ring ?? 0, RINGS.length - 1)]!;
  const mid = { rx: (ring.inner.rx + ring.outer.rx) / 2, ry: (ring.inner.ry + ring.outer.ry) / 2 };
  const [x, y] = point(p.angle, mid).split(',').map(Number) as [number, number];
  return { x, y };
}

export function StadiumOverview({ categories, sections, encoded, prices, chosen, stage, onChoose }: Props) {
  // Counted once per availability (20,400 seats in the stadium), not on every selection's render:
  // a section's seats are one run of the availability string.
  const free = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of sections) {
      let n = 0;
      for (let i = s.start; i < s.start + s.seats; i++) if (encoded[i] === FREE) n++;
      counts.set(s.id, n);
    }
    return counts;
  }, [sections, encoded]);
  const names = useMemo(() => new Map(categories.map((c) => [c.id, c.name])), [categories]);
  const byPrice = useMemo(
    () => [...categories].sort((a, b) => (prices[a.id]?.minor ?? 0) - (prices[b.id]?.minor ?? 0)),
    [categories, prices],
  );
  return (
    <div class="overview">
      <svg
        class="overview-map"
        viewBox={`0 0 ${W} ${H}`}
        role="group"
        aria-label={`The venue from above: the ${stage.toLowerCase()} in the middle, the stands around it. Choose a stand to see its seats.`}
      >
        <ellipse class="pitch" cx={CX} cy={CY} rx={PITCH.rx} ry={PITCH.ry} aria-hidden="true" />
        <text class="pitch-label" x={CX} y={CY + 4} text-anchor="middle" aria-hidden="true">
          {stage}
        </text>
        {sections.map((s, i) => {
          const p = positionOf(s, i, sections.length);
          const cat = s.categories[0] ?? '';
          const f = free.get(s.id) ?? 0;
          const soldOut = f === 0;
          const label = labelAt(p);
          const name = `${s.name}, ${names.get(cat) ?? cat}${prices[cat] ? ` ${money(prices[cat]!)}` : ''}, ${soldOut ? 'sold out' : `${f} free`}`;
          const choose = () => !soldOut && onChoose(s.id);
          return (
            <g
              key={s.id}
              class={`stand-shape ${categoryClass(categories, cat)}${soldOut ? ' sold-out' : ''}`}
              role="button"
              tabIndex={soldOut ? -1 : 0}
              aria-label={name}
              aria-pressed={s.id === chosen}
              aria-disabled={soldOut}
              data-stand={s.id}
              onClick={choose}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  choose();
                }
              }}
            >
              <title>{name}</title>
              {/* Fill strength says how much is left: a nearly sold-out stand is pale. */}
              <path d={standPath(p)} style={{ fillOpacity: 0.25 + 0.65 * (f / Math.max(1, s.seats)) }} />
              <text x={label.x} y={label.y + 3} text-anchor="middle" aria-hidden="true">
                {s.id}
              </text>
            </g>
          );
        })}
      </svg>
      <ul class="heat-legend" aria-label="Prices">
        {byPrice.map((c) => (
          <li key={c.id}>
            <span class={`heat-swatch ${categoryClass(categories, c.id)}`} aria-hidden="true" />
            {c.name}
            {prices[c.id] ? ` ${money(prices[c.id]!)}` : ''}
          </li>
        ))}
        <li class="meta small">Paler: fewer seats left</li>
      </ul>
    </div>
  );
}
