// The OData subset Web PubSub accepts in `filter=` on sends and in `:addToGroups` bodies:
//   userId eq 'alice' and not('vip' in groups) or connectionId ne 'c1'
// Identifiers: userId, connectionId, groups. Operators: eq, ne, in (only `'<g>' in groups`),
// and, or, not, parentheses; literals are single-quoted strings ('' escapes a quote) and null.
// Anything else is a 400 — better a clear refusal than a filter that silently matches everyone.

export interface FilterTarget {
  readonly connectionId: string;
  readonly userId: string | null;
  readonly groups: ReadonlySet<string>;
}

export type Filter = (target: FilterTarget) => boolean;

export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
}

type Token = { kind: 'str'; value: string } | { kind: 'word'; value: string } | { kind: '(' | ')' };
type Operand =
  { kind: 'str'; value: string } | { kind: 'null' } | { kind: 'field'; name: 'userId' | 'connectionId' | 'groups' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')') {
      tokens.push({ kind: c });
      i++;
    } else if (c === "'") {
      let value = '';
      for (i++; ; i++) {
        if (i >= text.length) throw new FilterSyntaxError('unterminated string literal');
        if (text[i] === "'") {
          if (text[i + 1] !== "'") break;
          i++;
        }
        value += text[i];
      }
      i++;
      tokens.push({ kind: 'str', value });
    } else {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0];
      if (!word) throw new FilterSyntaxError(`unexpected character '${c}' at ${i}`);
      tokens.push({ kind: 'word', value: word });
      i += word.length;
    }
  }
  return tokens;
}

export function parseFilter(text: string): Filter {
  const tokens = tokenize(text);
  let pos = 0;
  const peekWord = (w: string) => {
    const t = tokens[pos];
    return t?.kind === 'word' && t.value.toLowerCase() === w;
  };
  const expect = (kind: '(' | ')') => {
    if (tokens[pos]?.kind !== kind) throw new FilterSyntaxError(`expected '${kind}'`);
    pos++;
  };

  const orExpr = (): Filter => {
    let left = andExpr();
    while (peekWord('or')) {
      pos++;
      const [a, b] = [left, andExpr()];
      left = (t) => a(t) || b(t);
    }
    return left;
  };
  const andExpr = (): Filter => {
    let left = unary();
    while (peekWord('and')) {
      pos++;
      const [a, b] = [left, unary()];
      left = (t) => a(t) && b(t);
    }
    return left;
  };
  const unary = (): Filter => {
    if (peekWord('not')) {
      pos++;
      const inner = unary();
      return (t) => !inner(t);
    }
    if (tokens[pos]?.kind === '(') {
      pos++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    return comparison();
  };
  const operand = (): Operand => {
    const t = tokens[pos++];
    if (t?.kind === 'str') return t;
    if (t?.kind === 'word') {
      const w = t.value.toLowerCase();
      if (w === 'null') return { kind: 'null' };
      if (w === 'userid') return { kind: 'field', name: 'userId' };
      if (w === 'connectionid') return { kind: 'field', name: 'connectionId' };
      if (w === 'groups') return { kind: 'field', name: 'groups' };
    }
    throw new FilterSyntaxError(`unexpected ${t ? JSON.stringify('value' in t ? t.value : t.kind) : 'end of filter'}`);
  };
  const comparison = (): Filter => {
    const left = operand();
    const op = tokens[pos++];
    if (op?.kind !== 'word') throw new FilterSyntaxError('expected an operator (eq, ne, in)');
    const right = operand();
    const verb = op.value.toLowerCase();
    if (verb === 'in') {
      if (left.kind !== 'str' || right.kind !== 'field' || right.name !== 'groups')
        throw new FilterSyntaxError("'in' is supported as '<group>' in groups");
      return (t) => t.groups.has(left.value);
    }
    if (verb !== 'eq' && verb !== 'ne') throw new FilterSyntaxError(`unsupported operator '${op.value}'`);
    const l = scalar(left);
    const r = scalar(right);
    return verb === 'eq' ? (t) => l(t) === r(t) : (t) => l(t) !== r(t);
  };

  const result = orExpr();
  if (pos !== tokens.length) throw new FilterSyntaxError('unexpected text after the end of the filter');
  return result;
}

function scalar(o: Operand): (t: FilterTarget) => string | null {
  if (o.kind === 'str') return () => o.value;
  if (o.kind === 'null') return () => null;
  if (o.name === 'groups') throw new FilterSyntaxError("'groups' can only be used with 'in'");
  const name = o.name;
  return (t) => t[name];
}
