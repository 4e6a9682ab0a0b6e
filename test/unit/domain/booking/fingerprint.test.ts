import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, fingerprintOf } from '../../../../shared/domain/booking/index.js';

describe('request fingerprint', () => {
  it('ignores key order and whitespace but not values', async () => {
    const a = { showId: 's1', seats: ['A1', 'A2'], extra: { b: 1, a: [true, null] } };
    const b = JSON.parse('{ "extra": {"a":[true,null], "b":1}, "seats":["A1","A2"], "showId":"s1" }') as unknown;
    expect(canonicalJson(a)).toBe('{"extra":{"a":[true,null],"b":1},"seats":["A1","A2"],"showId":"s1"}');
    expect(await fingerprintOf(a)).toBe(await fingerprintOf(b));
    expect(await fingerprintOf({ ...a, seats: ['A2', 'A1'] })).not.toBe(await fingerprintOf(a));
    expect(await fingerprintOf(a)).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
  });

  it('drops undefined members like JSON does and rejects non-finite numbers', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });

  it('is a valid JSON text equal in value to its input (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});
