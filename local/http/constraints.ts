// Inline route constraints with ASP.NET Core's meanings (the real host routes with ASP.NET Core):
// invariant-culture number parsing, case-insensitive `bool` and `regex`, and a `regex` that is NOT
// anchored unless the pattern anchors itself — exactly like Regex.IsMatch.

export interface Constraint {
  /** As written, e.g. "range(1,10)"; shown at start-up and in errors. */
  readonly text: string;
  test(value: string): boolean;
}

const INT = /^[+-]?\d+$/;
// NumberStyles.Number (decimal): sign, digits, thousands separators, one decimal point; no exponent.
const DECIMAL = /^[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)$/;
// NumberStyles.Float | AllowThousands (double, float): adds an exponent.
const FLOAT = /^[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const GUID_D = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_N = /^[0-9a-f]{32}$/i;
const ALPHA = /^[a-z]+$/i;
const DATE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** System.Decimal.MaxValue (79,228,162,514,264,337,593,543,950,335), as a double. */
const DECIMAL_MAX = 7.922816251426434e28;

const INT32 = [-(2n ** 31n), 2n ** 31n - 1n] as const;
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;

function inRange(value: string, [lo, hi]: readonly [bigint, bigint]): boolean {
  if (!INT.test(value)) return false;
  const n = BigInt(value);
  return n >= lo && n <= hi;
}

const isLong = (v: string) => inRange(v, INT64);

function isGuid(v: string): boolean {
  if (GUID_D.test(v) || GUID_N.test(v)) return true;
  const inner = v.slice(1, -1);
  return ((v[0] === '{' && v.at(-1) === '}') || (v[0] === '(' && v.at(-1) === ')')) && GUID_D.test(inner);
}

function isDateTime(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  return day <= daysInMonth && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60;
}

function isDecimal(v: string): boolean {
  if (!DECIMAL.test(v)) return false;
  return Math.abs(Number(v.replace(/,/g, ''))) <= DECIMAL_MAX;
}

function integerArg(name: string, raw: string | undefined): bigint {
  if (raw === undefined || !INT.test(raw.trim()))
    throw new Error(`constraint ${name} needs an integer argument, got "${raw ?? ''}"`);
  return BigInt(raw.trim());
}

function integerArgs(name: string, raw: string | undefined, count: 1 | 2): bigint[] {
  const parts = (raw ?? '').split(',');
  if (parts.length !== count)
    throw new Error(`constraint ${name} needs ${count} integer argument${count > 1 ? 's' : ''}, got "${raw ?? ''}"`);
  return parts.map((p) => integerArg(name, p));
}

function noArgs(name: string, args: string | undefined): void {
  if (args !== undefined) throw new Error(`constraint ${name} takes no arguments`);
}

const simple: Record<string, (v: string) => boolean> = {
  int: (v) => inRange(v, INT32),
  long: isLong,
  bool: (v) => /^(true|false)$/i.test(v),
  guid: isGuid,
  alpha: (v) => ALPHA.test(v),
  datetime: isDateTime,
  decimal: isDecimal,
  double: (v) => FLOAT.test(v),
  float: (v) => FLOAT.test(v),
  // `required` only refuses an empty value; route values are never empty here, but accept it.
  required: (v) => v.length > 0,
};

export function compileConstraint(name: string, args: string | undefined): Constraint {
  const key = name.toLowerCase();
  const text = args === undefined ? name : `${name}(${args})`;
  const check = simple[key];
  if (check) {
    noArgs(name, args);
    return { text, test: check };
  }
  switch (key) {
    case 'min': {
      const [min] = integerArgs(name, args, 1) as [bigint];
      return { text, test: (v) => isLong(v) && BigInt(v) >= min };
    }
    case 'max': {
      const [max] = integerArgs(name, args, 1) as [bigint];
      return { text, test: (v) => isLong(v) && BigInt(v) <= max };
    }
    case 'range': {
      const [min, max] = integerArgs(name, args, 2) as [bigint, bigint];
      if (min > max) throw new Error(`constraint range(${args}) has min above max`);
      return { text, test: (v) => isLong(v) && BigInt(v) >= min && BigInt(v) <= max };
    }
    case 'length': {
      const parts = (args ?? '').split(',');
      if (parts.length === 1) {
        const n = Number(integerArg(name, parts[0]));
        return { text, test: (v) => v.length === n };
      }
      const [min, max] = integerArgs(name, args, 2).map(Number) as [number, number];
      return { text, test: (v) => v.length >= min && v.length <= max };
    }
    case 'minlength': {
      const n = Number(integerArgs(name, args, 1)[0]);
      return { text, test: (v) => v.length >= n };
    }
    case 'maxlength': {
      const n = Number(integerArgs(name, args, 1)[0]);
      return { text, test: (v) => v.length <= n };
    }
    case 'regex': {
      if (!args) throw new Error('constraint regex needs a pattern');
      let regex: RegExp;
      try {
        regex = new RegExp(args, 'i');
      } catch (err) {
        throw new Error(`constraint regex(${args}): ${(err as Error).message}`);
      }
      return { text, test: (v) => regex.test(v) };
    }
    default:
      throw new Error(`unknown constraint "${name}"`);
  }
}
