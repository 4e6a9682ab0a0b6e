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

export class RouteTable {
  /** First path segment (lower case) → candidates, in precedence order. */
  private readonly byFirst = new Map<string, Route[]>();
  /** Candidates for a first segment no literal route starts with. */
  private readonly fallback: Route[];

  constructor(readonly routes: Route[]) {
    const sorted = [...routes].sort(comparePrecedence);
    const startsWithLiteral = sorted.filter((r) => r.template.segments[0]?.kind === 'literal');
    this.fallback = sorted.filter((r) => r.template.segments[0]?.kind !== 'literal');
    for (const r of startsWithLiteral) {
      const key = (r.template.segments[0] as { text: string }).text;
      if (!this.byFirst.has(key)) this.byFirst.set(key, sorted.filter((s) => s.template.segments[0]?.kind !== 'literal' || (s.template.segments[0] as { text: string }).text === key));
    }
  }

  /** `path` is what follows the route prefix, without the leading '/', still percent-encoded. */
  match(method: string, path: string): MatchResult {
    if (path.endsWith('/')) path = path.slice(0, -1); // ASP.NET ignores one trailing slash
    const raw = path === '' ? [] : path.split('/');
    const lower = path === '' ? [] : path.toLowerCase().split('/');
    const candidates = this.byFirst.get(lower[0] ?? '') ?? this.fallback;
    let allow: Set<string> | undefined;
    for (const route of candidates) {
      const params = matchTemplate(route.template, raw, lower);
      if (!params) continue;
      if (route.methods.has(method)) return { kind: 'match', route, params };
      allow ??= new Set();
      for (const m of route.methods) allow.add(m);
    }
    return allow ? { kind: 'method', allow: [...allow].sort() } : NONE;
  }
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

function matchSegment(s: Exclude<Segment, { kind: 'literal' }>, value: string, params: Record<string, string>): boolean {
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

/** Builds the table from the registry: route absent means the function name (contracts §5.1). */
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
    const methods = (Array.isArray(fn.trigger.methods) && fn.trigger.methods.length ? (fn.trigger.methods as string[]) : ['GET', 'POST']).map((m) => m.toUpperCase());
    const level = String(fn.trigger.authLevel ?? 'anonymous').toLowerCase();
    if (level !== 'anonymous' && level !== 'function' && level !== 'admin') throw new Error(`function "${fn.name}": unknown authLevel "${level}"`);
    routes.push({ fn, template, methods: new Set(methods), authLevel: level, order: order++ });
  }
  return new RouteTable(routes);
}
