// The route template parser and matcher on their own: syntax, every constraint kind, optional,
// defaulted and catch-all parameters, precedence. The same table is served over HTTP in http.test.ts.
import { describe, expect, it } from 'vitest';
import { compileConstraint } from '../../../../local/http/constraints.js';
import { matchTemplate, RouteTable, type Route } from '../../../../local/http/route-table.js';
import { parseRouteTemplate } from '../../../../local/http/route-template.js';

const match = (template: string, path: string) => {
  const raw = path === '' ? [] : path.split('/');
  return matchTemplate(
    parseRouteTemplate(template),
    raw,
    raw.map((s) => s.toLowerCase()),
  );
};

describe('route template parser', () => {
  it('splits literals and parameters, lower-casing literals', () => {
    const t = parseRouteTemplate('Shows/{showId}/Seats');
    expect(t.segments).toEqual([
      { kind: 'literal', text: 'shows' },
      {
        kind: 'parameter',
        parameter: { name: 'showId', constraints: [], optional: false, defaultValue: undefined, catchAll: false },
      },
      { kind: 'literal', text: 'seats' },
    ]);
    expect(t.minSegments).toBe(3);
  });

  it('reads constraints with arguments, optional markers and defaults', () => {
    const [a, b, c] = parseRouteTemplate('{id:int:range(1,9)}/{page:int?}').segments.concat(
      parseRouteTemplate('{v=abc}').segments,
    );
    expect(a).toMatchObject({ parameter: { name: 'id', optional: false } });
    expect((a as { parameter: { constraints: { text: string }[] } }).parameter.constraints.map((x) => x.text)).toEqual([
      'int',
      'range(1,9)',
    ]);
    expect(b).toMatchObject({ parameter: { name: 'page', optional: true } });
    expect(c).toMatchObject({ parameter: { name: 'v', defaultValue: 'abc' } });
  });

  it('keeps a regex with colons, parentheses and escaped braces whole', () => {
    const t = parseRouteTemplate('t/{code:regex(^(ab|c:d)\\d{{2}}$)}');
    const p = (t.segments[1] as { parameter: { constraints: { text: string }[] } }).parameter;
    expect(p.constraints[0]!.text).toBe('regex(^(ab|c:d)\\d{2}$)');
    expect(match('t/{code:regex(^(ab|c:d)\\d{{2}}$)}', 't/c:d12')).toEqual({ code: 'c:d12' });
    expect(match('t/{code:regex(^(ab|c:d)\\d{{2}}$)}', 't/ab123')).toBeUndefined();
  });

  it('ignores a leading slash and a trailing slash in the template', () => {
    expect(parseRouteTemplate('/a/b/').segments).toHaveLength(2);
  });

  it.each([
    ['a/{x', /unbalanced "\{"/],
    ['a/x}', /unbalanced "\}"/],
    ['a//b', /empty segment/],
    ['{*rest}/tail', /catch-all "rest" must be the last segment/],
    ['{a}/{A}', /parameter "A" appears twice/],
    ['{a?}/b', /optional parameter "a" must be followed only by optional segments/],
    ['{id:nosuch}', /unknown constraint "nosuch"/],
    ['{id:min(x)}', /min needs an integer argument/],
    ['{id:range(9,1)}', /min above max/],
    ['{id:regex(()}', /regex/],
    ['{a}{b}', /two parameters in one segment/],
    ['{}', /has no name/],
    ['a?b', /"\?" is only allowed inside a parameter/],
  ])('rejects %s with a message naming the problem', (template, message) => {
    expect(() => parseRouteTemplate(template)).toThrow(message);
  });
});

describe('constraints', () => {
  const cases: [string, string[], string[]][] = [
    ['int', ['0', '-5', '+7', '2147483647'], ['2147483648', '1.5', 'x', '']],
    ['long', ['9223372036854775807', '-9223372036854775808'], ['9223372036854775808', '1e3']],
    ['bool', ['true', 'FALSE'], ['yes', '1']],
    [
      'guid',
      [
        '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        '3F2504E04F8911D39A0C0305E82C3301',
        '{3f2504e0-4f89-11d3-9a0c-0305e82c3301}',
      ],
      ['3f2504e0-4f89-11d3-9a0c', 'zz2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ],
    ['alpha', ['abc', 'ABC'], ['ab1', 'é']],
    ['datetime', ['2024-02-29', '2024-01-05T10:30:00Z', '2024-01-05T10:30'], ['2023-02-29', '2024-13-01', 'tomorrow']],
    ['decimal', ['1.5', '-0.25', '1,000.5', '.5'], ['1e3', 'abc', '1.2.3']],
    ['double', ['1.5', '1e3', '-2.5E-4'], ['abc', '1e']],
    ['float', ['3.25', '6.02e23'], ['x1']],
  ];
  it.each(cases)('%s accepts what .NET parses and refuses the rest', (name, good, bad) => {
    const c = compileConstraint(name, undefined);
    for (const v of good) expect(c.test(v), `${name} should accept ${v}`).toBe(true);
    for (const v of bad) expect(c.test(v), `${name} should refuse ${v}`).toBe(false);
  });

  it('min, max and range compare as integers and refuse non-integers', () => {
    expect(compileConstraint('min', '10').test('10')).toBe(true);
    expect(compileConstraint('min', '10').test('9')).toBe(false);
    expect(compileConstraint('min', '10').test('10.5')).toBe(false);
    expect(compileConstraint('max', '10').test('-3')).toBe(true);
    expect(compileConstraint('max', '10').test('11')).toBe(false);
    expect(compileConstraint('range', '5,10').test('5')).toBe(true);
    expect(compileConstraint('range', '5,10').test('11')).toBe(false);
  });

  it('length, minlength and maxlength count characters', () => {
    expect(compileConstraint('length', '3').test('abc')).toBe(true);
    expect(compileConstraint('length', '3').test('ab')).toBe(false);
    expect(compileConstraint('length', '2,4').test('abcd')).toBe(true);
    expect(compileConstraint('length', '2,4').test('abcde')).toBe(false);
    expect(compileConstraint('minlength', '3').test('ab')).toBe(false);
    expect(compileConstraint('maxlength', '3').test('abcd')).toBe(false);
  });

  it('regex is case-insensitive and not anchored unless the pattern anchors itself, like Regex.IsMatch', () => {
    expect(compileConstraint('regex', 'b\\d').test('AB1C')).toBe(true);
    expect(compileConstraint('regex', '^b\\d$').test('AB1C')).toBe(false);
  });
});

describe('matching', () => {
  it('is case-insensitive for literals and keeps the case of values', () => {
    expect(match('Shows/{id}', 'SHOWS/AbC')).toEqual({ id: 'AbC' });
  });

  it('percent-decodes values', () => {
    expect(match('q/{term}', 'q/a%20b')).toEqual({ term: 'a b' });
    expect(match('q/{term}', 'q/%E0%A4')).toBeUndefined();
  });

  it('leaves out optional values, fills defaults, and takes the rest of the path for a catch-all', () => {
    expect(match('opt/{v?}', 'opt')).toEqual({});
    expect(match('opt/{v?}', 'opt/1')).toEqual({ v: '1' });
    expect(match('def/{a=x}/{b=y}', 'def/1')).toEqual({ a: '1', b: 'y' });
    expect(match('files/{*path}', 'files/a/b/c')).toEqual({ path: 'a/b/c' });
    expect(match('files/{*path}', 'files')).toEqual({});
    expect(match('opt/{v?}', 'opt/1/2')).toBeUndefined();
  });

  it('splits a complex segment at the last literal, like ASP.NET', () => {
    expect(match('doc/{name}.{ext}', 'doc/a.b.txt')).toEqual({ name: 'a.b', ext: 'txt' });
    expect(match('doc/{name}.{ext:alpha}', 'doc/a.7')).toBeUndefined();
  });

  it('prefers literal over constrained parameter over parameter over catch-all, whatever the order', () => {
    const route = (template: string, order: number, methods = ['GET']): Route => ({
      fn: { name: template } as Route['fn'],
      template: parseRouteTemplate(template),
      methods: new Set(methods),
      authLevel: 'anonymous',
      order,
    });
    const table = new RouteTable([
      route('p/{*rest}', 0),
      route('p/{name}', 1),
      route('p/{id:int}', 2),
      route('p/special', 3),
      route('{any}/x', 4),
    ]);
    const winner = (path: string) => {
      const m = table.match('GET', path);
      return m.kind === 'match' ? m.route.fn.name : m.kind;
    };
    expect(winner('p/special')).toBe('p/special');
    expect(winner('p/42')).toBe('p/{id:int}');
    expect(winner('p/abc')).toBe('p/{name}');
    expect(winner('p/a/b')).toBe('p/{*rest}');
    expect(winner('p/x')).toBe('p/{name}');
    expect(winner('q/x')).toBe('{any}/x');
    expect(winner('q/y')).toBe('none');
  });

  it('falls through to a less specific route that accepts the method, and reports Allow otherwise', () => {
    const r = (template: string, order: number, methods: string[]): Route => ({
      fn: { name: `${template} ${methods}` } as Route['fn'],
      template: parseRouteTemplate(template),
      methods: new Set(methods),
      authLevel: 'anonymous',
      order,
    });
    const table = new RouteTable([r('items/{id}', 0, ['GET']), r('items/special', 1, ['POST'])]);
    const get = table.match('GET', 'items/special');
    expect(get.kind === 'match' && get.route.fn.name).toBe('items/{id} GET');
    expect(table.match('DELETE', 'items/special')).toEqual({ kind: 'method', allow: ['GET', 'POST'] });
  });
});
