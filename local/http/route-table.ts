// The route table, compiled once at start from the httpTrigger registrations. Matching a request
// splits its path once, looks candidates up by first segment, and tries them in precedence order
// (literal before parameter before catch-all, segment by segment — ASP.NET Core's inbound order).
import type { RegisteredFunction } from '../core/registry.js';
import { parseRouteTemplate, type RouteParameter, type RouteTemplate, type Segment } from './route-template.js';

export type AuthLevel = 'anonymous' | 'function' | 'admin';

export interface Route {
  fn: RegisteredFunction;
  template: RouteTemplate;
  /** Upper-case methods the function accepts. */
  methods: ReadonlySet<string>;
  authLevel: AuthLevel;
  /** Registration order, the last tie-breaker. */
  order: number;
}

export type MatchResult =
  | { kind: 'match'; route: Route; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' };

const NONE: MatchResult = { kind: 'none' };

/** A route with the positions and text of its literal segments, checked before anything else. */
interface Candidate {
  route: Route;
  literalAt: number[];
  literalText: string[];
}

export class RouteTable {
  /** First path segment (lower case) → candidates, in precedence order. */
  private readonly byFirst = new Map<string, Candidate[]>();
  /** Candidates for a first segment no literal route starts with. */
  private readonly fallback: Candidate[];

  constructor(readonly routes: Route[]) {
    const sorted = [...routes].sort(comparePrecedence).map(candidate);
    const first = (c: Candidate) => c.route.template.segments[0];
    const startsWithLiteral = sorted.filter((c) => first(c)?.kind === 'literal');
    this.fallback = sorted.filter((c) => first(c)?.kind !== 'literal');
    for (const c of startsWithLiteral) {
      const key = (first(c) as { text: string }).text;
      if (!this.byFirst.has(key))
        this.byFirst.set(
          key,
          sorted.filter((s) => first(s)?.kind !== 'literal' || (first(s) as { text: string }).text === key),
        );
    }
  }

  /** `path` is what follows the route prefix, without the leading '/', still percent-encoded. */
  match(method: string, path: string): MatchResult {
    if (path.endsWith('/')) path = path.slice(0, -1); // ASP.NET ignores one trailing slash
    const raw = path === '' ? [] : splitSegments(path);
    const lowerPath = path.toLowerCase();
    // Most paths are lower case already: then one split serves both.
    const lower = lowerPath === path ? raw : splitSegments(lowerPath);
    const candidates = this.byFirst.get(lower[0] ?? '') ?? this.fallback;
    const n = raw.length;
    let allow: Set<string> | undefined;
    for (const c of candidates) {
      const t = c.route.template;
      // The cheap refusals first (segment count, literal segments), before any route value is
      // decoded or allocated; matchTemplate decides the rest.
      if (n < t.minSegments || (n > t.segments.length && !t.catchAll)) continue;
      if (!literalsMatch(c, lower)) continue;
      const params = matchTemplate(t, raw, lower);
      if (!params) continue;
      const route = c.route;
      if (route.methods.has(method)) return { kind: 'match', route, params };
      allow ??= new Set();
      for (const m of route.methods) allow.add(m);
    }
    return allow ? { kind: 'method', allow: [...allow].sort() } : NONE;
  }
}

/**
 * `path.split('/')`, by indexOf: the path is usually a slice of the request target, and V8's
 * split of a sliced string costs three times this loop.
 */
function splitSegments(path: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', start)) {
    out.push(path.slice(start, i));
    start = i + 1;
  }
  out.push(path.slice(start));
  return out;
}

function candidate(route: Route): Candidate {
  const literalAt: number[] = [];
  const literalText: string[] = [];
  route.template.segments.forEach((s, i) => {
    if (s.kind === 'literal') {
      literalAt.push(i);
      literalText.push(s.text);
    }
  });
  return { route, literalAt, literalText };
}

/**
 * Whether the path has the route's literal segments (lower case) where the route has them. A
 * literal is never left out of a path (only trailing optional parameters are), so each literal
 * position is within a path that passed the segment count check.
 */
function literalsMatch(c: Candidate, lower: string[]): boolean {
  const at = c.literalAt;
  for (let k = 0; k < at.length; k++) if (lower[at[k]!] !== c.literalText[k]) return false;
  return true;
}

/** Route values for a path, or undefined when the template does not match it. */
export function matchTemplate(t: RouteTemplate, raw: string[], lower: string[]): Record<string, string> | undefined {
  const n = raw.length;
  const segments = t.segments;
  if (n < t.minSegments || (n > segments.length && !t.catchAll)) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (i >= n) {
      // Left out: only optional, defaulted or catch-all segments get here (minSegments).
      const p = (s as { parameter: RouteParameter }).parameter;
      if (p.defaultValue !== undefined) params[p.name] = p.defaultValue;
      continue;
    }
    if (s.kind === 'literal') {
      if (lower[i] !== s.text) return undefined;
      continue;
    }
    if (s.kind === 'parameter' && s.parameter.catchAll) {
      const rest = decodeRest(raw.slice(i));
      if (rest === undefined || !satisfies(s.parameter, rest)) return undefined;
      if (rest !== '') params[s.parameter.name] = rest;
      return params;
    }
    const value = decode(raw[i]!);
    if (value === undefined || value === '') return undefined;
    if (!matchSegment(s, value, params)) return undefined;
  }
  return params;
}

function matchSegment(
  s: Exclude<Segment, { kind: 'literal' }>,
  value: string,
  params: Record<string, string>,
): boolean {
  if (s.kind === 'parameter') {
    if (!satisfies(s.parameter, value)) return false;
    params[s.parameter.name] = value;
    return true;
  }
  const m = s.regex.exec(value);
  if (!m) return false;
  for (let k = 0; k < s.parameters.length; k++) {
    const p = s.parameters[k]!;
    const v = m[k + 1]!;
    if (!satisfies(p, v)) return false;
    params[p.name] = v;
  }
  return true;
}

function satisfies(p: RouteParameter, value: string): boolean {
  for (const c of p.constraints) if (!c.test(value)) return false;
  return true;
}

function decode(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function decodeRest(segments: string[]): string | undefined {
  const out: string[] = [];
  for (const s of segments) {
    const d = decode(s);
    if (d === undefined) return undefined;
    out.push(d);
  }
  return out.join('/');
}

/** Negative when `a` is tried first: per segment rank, then more segments, then registration order. */
export function comparePrecedence(a: Route, b: Route): number {
  const ra = a.template.ranks;
  const rb = b.template.ranks;
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  }
  if (ra.length !== rb.length) return rb.length - ra.length;
  return a.order - b.order;
}

/** Builds the table from the registry: route absent means the function name, as on the real host. */
export function compileRoutes(functions: Iterable<RegisteredFunction>): RouteTable {
  const routes: Route[] = [];
  let order = 0;
  for (const fn of functions) {
    if (fn.trigger.type.toLowerCase() !== 'httptrigger') continue;
    const route = typeof fn.trigger.route === 'string' && fn.trigger.route.trim() !== '' ? fn.trigger.route : fn.name;
    let template: RouteTemplate;
    try {
      template = parseRouteTemplate(route);
    } catch (err) {
      throw new Error(`function "${fn.name}": ${(err as Error).message}`);
    }
    const methods = (
      Array.isArray(fn.trigger.methods) && fn.trigger.methods.length
        ? (fn.trigger.methods as string[])
        : ['GET', 'POST']
    ).map((m) => m.toUpperCase());
    const level = String(fn.trigger.authLevel ?? 'anonymous').toLowerCase();
    if (level !== 'anonymous' && level !== 'function' && level !== 'admin')
      throw new Error(`function "${fn.name}": unknown authLevel "${level}"`);
    routes.push({ fn, template, methods: new Set(methods), authLevel: level, order: order++ });
  }
  return new RouteTable(routes);
}
