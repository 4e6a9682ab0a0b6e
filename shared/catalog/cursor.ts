// The opaque continuation token of show search: base64url of the last (startsAt, id) returned.
import type { PageCursor } from '../domain/show-search.js';

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.startsAt, cursor.id])).toString('base64url');
}

export function decodeCursor(token: string): PageCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[0]))
    ) {
      return { startsAt: value[0], id: value[1] };
    }
  } catch {
    // fall through: not a token we issued
  }
  return undefined;
}
