import { createHash } from 'node:crypto';
import { GatewayError } from '../errors.js';

/**
 * A position in a list the store reads by keyset (an account's sessions in one order and filter,
 * the hits of one search), bound to that list: a cursor handed out for one account, filter, order
 * or query is refused by every other rather than read against it.
 */
const PREFIX = 'l1';

/** What a list's cursors are bound to: a digest of everything that defines the list. */
export function listBinding(...definition: unknown[]): string {
  const json = JSON.stringify(definition, (_key, value) => (typeof value === 'bigint' ? String(value) : value));
  return createHash('sha256').update(json).digest('base64url').slice(0, 22);
}

export function encodeListCursor(binding: string, position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([PREFIX, binding, ...position])).toString('base64url');
}

/** The position a cursor of this list stands at: as many values as `shape` has, each of its type. */
export function decodeListCursor(cursor: string, binding: string, shape: readonly ('number' | 'string')[]): (string | number)[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  const valid =
    Array.isArray(parts) &&
    parts.length === shape.length + 2 &&
    parts[0] === PREFIX &&
    typeof parts[1] === 'string' &&
    shape.every((type, n) => typeof parts[n + 2] === type && (type === 'string' || Number.isFinite(parts[n + 2])));
  if (!valid) throw new GatewayError('invalid_cursor', `"${cursor}" is not a cursor this API handed out`);
  if ((parts as unknown[])[1] !== binding) {
    throw new GatewayError('invalid_cursor', `The cursor "${cursor}" belongs to another list (another filter, order or query); cursors are only valid where they were handed out`);
  }
  return (parts as unknown[]).slice(2) as (string | number)[];
}
