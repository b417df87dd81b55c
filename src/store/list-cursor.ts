import { createHash } from 'node:crypto';
import { GatewayError } from '../errors.js';
import { openCursor, sealCursor } from './keyset-cursor.js';
import type { SealingKey } from './sealing.js';

/**
 * A position in a list the store reads by keyset (an account's sessions in one order and filter,
 * the hits of one search), sealed for that list: a cursor handed out for one account, filter, order
 * or query is refused by every other rather than read against it, and shows no row id.
 */

/** What a list's cursors are bound to: a digest of everything that defines the list. */
export function listBinding(...definition: unknown[]): string {
  const json = JSON.stringify(definition, (_key, value) => (typeof value === 'bigint' ? String(value) : value));
  return createHash('sha256').update(json).digest('base64url').slice(0, 22);
}

const scopeOf = (binding: string) => `list:${binding}`;

export function encodeListCursor(key: SealingKey, binding: string, position: readonly (string | number)[]): string {
  return sealCursor(key, scopeOf(binding), Buffer.from(JSON.stringify(position)));
}

/** The position a cursor of this list stands at: as many values as `shape` has, each of its type. */
export function decodeListCursor(key: SealingKey, cursor: string, binding: string, shape: readonly ('number' | 'string')[]): (string | number)[] {
  const payload = openCursor(key, scopeOf(binding), cursor);
  let parts: unknown;
  try {
    parts = JSON.parse(payload.toString('utf8'));
  } catch {
    parts = null;
  }
  const valid =
    Array.isArray(parts) &&
    parts.length === shape.length &&
    shape.every((type, n) => typeof parts[n] === type && (type === 'string' || Number.isFinite(parts[n])));
  // Sealed by this gateway for this list, yet not of its shape: a cursor of an older release.
  if (!valid) throw new GatewayError('invalid_cursor', `"${cursor}" is not a cursor this API handed out for this list`);
  return parts as (string | number)[];
}
