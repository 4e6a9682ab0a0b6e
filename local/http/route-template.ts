// Route templates in the real host's (ASP.NET Core) syntax, parsed once at start into segment
// matchers: literals, `{name}`, `{name?}`, `{name=default}`, `{*rest}` / `{**rest}`, inline
// constraints (`{id:int:min(1)}`), and complex segments such as `{name}.{ext}`. Braces inside a
// template are written `{{` and `}}`, as in ASP.NET (`regex(^\d{{3}}$)`).
import { compileConstraint, type Constraint } from './constraints.js';

export interface RouteParameter {
  name: string;
  constraints: Constraint[];
  optional: boolean;
  defaultValue?: string;
  catchAll: boolean;
}

export type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'parameter'; parameter: RouteParameter }
  /** Literal text and parameters mixed in one segment, matched with an anchored regex. */
  | { kind: 'complex'; regex: RegExp; parameters: RouteParameter[] };

export interface RouteTemplate {
  template: string;
  segments: Segment[];
  /** Segments from this index on may be left out of a path (all optional, defaulted or catch-all). */
  minSegments: number;
  catchAll: boolean;
  /** Precedence per segment: lower is more specific (literal 0 … catch-all 4). */
  ranks: number[];
}

export class RouteTemplateError extends Error {
  override name = 'RouteTemplateError';
}

export function parseRouteTemplate(template: string): RouteTemplate {
  const fail = (why: string) => new RouteTemplateError(`route template "${template}": ${why}`);
  const trimmed = template.replace(/^~?\/+/, '').replace(/\/+$/, '');
  const rawSegments = trimmed === '' ? [] : splitSegments(trimmed, fail);
  const segments: Segment[] = [];
  const names = new Set<string>();
  for (const [index, raw] of rawSegments.entries()) {
    if (raw === '') throw fail('empty segment ("//")');
    const parts = tokenizeSegment(raw, fail);
    for (const p of parts) {
      if (typeof p === 'string') continue;
      const key = p.name.toLowerCase();
      if (names.has(key)) throw fail(`parameter "${p.name}" appears twice`);
      names.add(key);
      if (p.catchAll && index !== rawSegments.length - 1) throw fail(`catch-all "${p.name}" must be the last segment`);
    }
    if (parts.length === 1 && typeof parts[0] === 'string') {
      segments.push({ kind: 'literal', text: parts[0].toLowerCase() });
    } else if (parts.length === 1) {
      segments.push({ kind: 'parameter', parameter: parts[0] as RouteParameter });
    } else {
      segments.push(compileComplex(parts, fail));
    }
  }
  // Like ASP.NET: only a run of optional/defaulted parameters (and a catch-all) at the end may be
  // left out of a path.
  let minSegments = segments.length;
  while (minSegments > 0) {
    const s = segments[minSegments - 1]!;
    if (s.kind !== 'parameter') break;
    const p = s.parameter;
    if (!(p.optional || p.defaultValue !== undefined || p.catchAll)) break;
    minSegments--;
  }
  for (const [i, s] of segments.entries()) {
    if (i < minSegments && s.kind === 'parameter' && s.parameter.optional) {
      throw fail(`optional parameter "${s.parameter.name}" must be followed only by optional segments`);
    }
  }
  const last = segments[segments.length - 1];
  return {
    template,
    segments,
    minSegments,
    catchAll: last?.kind === 'parameter' && last.parameter.catchAll,
    ranks: segments.map(rankOf),
  };
}

function rankOf(s: Segment): number {
  if (s.kind === 'literal') return 0;
  if (s.kind === 'complex') return 1;
  if (s.parameter.catchAll) return 4;
  return s.parameter.constraints.length ? 2 : 3;
}

/** Splits on '/' outside braces (a regex constraint may contain '/'). */
function splitSegments(template: string, fail: (why: string) => Error): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      current += c + c;
      i++;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (depth < 0) throw fail('unbalanced "}"');
    if (c === '/' && depth === 0) {
      out.push(current);
      current = '';
    } else current += c;
  }
  if (depth !== 0) throw fail('unbalanced "{"');
  out.push(current);
  return out;
}

/** A segment as literal strings and parameters, in order. */
function tokenizeSegment(raw: string, fail: (why: string) => Error): (string | RouteParameter)[] {
  const parts: (string | RouteParameter)[] = [];
  let literal = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if ((c === '{' || c === '}') && raw[i + 1] === c) {
      literal += c;
      i++;
      continue;
    }
    if (c === '}') throw fail('unbalanced "}"');
    if (c !== '{') {
      literal += c;
      continue;
    }
    // Find the closing brace; doubled braces inside are escaped ones.
    let body = '';
    let j = i + 1;
    for (; j < raw.length; j++) {
      const d = raw[j]!;
      if ((d === '{' || d === '}') && raw[j + 1] === d) {
        body += d;
        j++;
      } else if (d === '}') break;
      else if (d === '{') throw fail('"{" inside a parameter must be written "{{"');
      else body += d;
    }
    if (j >= raw.length) throw fail('unbalanced "{"');
    if (literal) parts.push(literal);
    literal = '';
    parts.push(parseParameter(body, fail));
    i = j;
  }
  if (literal) parts.push(literal);
  if (parts.some((p) => typeof p === 'string' && p.includes('?')))
    throw fail('"?" is only allowed inside a parameter (a query string is not part of a route)');
  if (
    parts.length > 1 &&
    parts.some((p) => typeof p !== 'string' && (p.catchAll || p.optional || p.defaultValue !== undefined))
  ) {
    // ASP.NET allows an optional last parameter after a '.', e.g. {name}.{ext?}; we keep it simpler.
    const bad = parts.find(
      (p): p is RouteParameter => typeof p !== 'string' && (p.catchAll || p.optional || p.defaultValue !== undefined),
    )!;
    throw fail(`parameter "${bad.name}" cannot be optional, defaulted or catch-all inside a segment with other text`);
  }
  for (let k = 1; k < parts.length; k++) {
    if (typeof parts[k] !== 'string' && typeof parts[k - 1] !== 'string')
      throw fail('two parameters in one segment need literal text between them');
  }
  return parts;
}

/** `name`, `*name`, `**name`, then `:constraint(args)`…, then `?` or `=default`. */
function parseParameter(body: string, fail: (why: string) => Error): RouteParameter {
  let rest = body.trim();
  let catchAll = false;
  if (rest.startsWith('**')) {
    catchAll = true;
    rest = rest.slice(2);
  } else if (rest.startsWith('*')) {
    catchAll = true;
    rest = rest.slice(1);
  }
  const nameMatch = /^[^:=?]+/.exec(rest);
  if (!nameMatch) throw fail(`parameter "{${body}}" has no name`);
  const name = nameMatch[0].trim();
  if (!/^[A-Za-z_][\w-]*$/.test(name)) throw fail(`parameter name "${name}" is not valid`);
  rest = rest.slice(nameMatch[0].length);
  const constraints: Constraint[] = [];
  while (rest.startsWith(':')) {
    const m = /^:([A-Za-z]+)/.exec(rest);
    if (!m) throw fail(`parameter "${name}" has an empty constraint`);
    let args: string | undefined;
    let end = m[0].length;
    if (rest[end] === '(') {
      // The arguments end at a ')' followed by the end, another constraint, '?' or '=' — so a
      // regex may itself contain parentheses and colons.
      let close = -1;
      for (let k = end + 1; k < rest.length; k++) {
        if (rest[k] === ')' && (k + 1 === rest.length || ':?='.includes(rest[k + 1]!))) {
          close = k;
          break;
        }
      }
      if (close < 0) throw fail(`constraint "${m[1]}" of "${name}" has no closing ")"`);
      args = rest.slice(end + 1, close);
      end = close + 1;
    }
    try {
      constraints.push(compileConstraint(m[1]!, args));
    } catch (err) {
      throw fail(`parameter "${name}": ${(err as Error).message}`);
    }
    rest = rest.slice(end);
  }
  let optional = false;
  let defaultValue: string | undefined;
  if (rest === '?') optional = true;
  else if (rest.startsWith('=')) defaultValue = rest.slice(1);
  else if (rest !== '') throw fail(`unexpected "${rest}" in parameter "${name}"`);
  if (catchAll && optional) optional = false; // a catch-all is optional anyway
  if (optional && defaultValue !== undefined) throw fail(`parameter "${name}" cannot be both optional and defaulted`);
  return { name, constraints, optional, defaultValue, catchAll };
}

function compileComplex(parts: (string | RouteParameter)[], fail: (why: string) => Error): Segment {
  const parameters: RouteParameter[] = [];
  let source = '^';
  for (const p of parts) {
    if (typeof p === 'string') source += escapeRegex(p);
    else {
      parameters.push(p);
      // Greedy, so `{name}.{ext}` splits at the last '.' the way ASP.NET's right-to-left match does.
      source += '(.+)';
    }
  }
  source += '$';
  try {
    return { kind: 'complex', regex: new RegExp(source, 'i'), parameters };
  } catch (err) {
    throw fail((err as Error).message);
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
