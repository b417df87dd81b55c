import { GatewayError } from '../errors.js';

/**
 * A position in one session's timeline (or in an account's session list): the `seq` (or id) of
 * the item it follows. It is bound to its owner, so a cursor from another session is refused
 * rather than silently read against the wrong timeline. GraphQL cursors and Twilio PageTokens are
 * both keyset cursors.
 */
const PREFIX = 'k1';

export function encodeKeysetCursor(owner: bigint, position: number | bigint): string {
  return Buffer.from(`${PREFIX}:${owner}:${position}`).toString('base64url');
}

/** The highest timeline position (`seq` is a PostgreSQL integer). */
export const MAX_TIMELINE_POSITION = 2147483647;

/** The position a cursor stands at, 0..maxPosition; anything else is not a cursor this API handed out. */
export function decodeKeysetCursor(cursor: string, owner: bigint, maxPosition: number = MAX_TIMELINE_POSITION): number {
  const [prefix, cursorOwner, position, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  if (prefix !== PREFIX || rest.length || !/^\d{1,20}$/.test(cursorOwner ?? '') || !/^\d{1,16}$/.test(position ?? '') || Number(position) > maxPosition) {
    throw new GatewayError('invalid_cursor', `"${cursor}" is not a cursor this API handed out`);
  }
  if (BigInt(cursorOwner!) !== owner) {
    throw new GatewayError('invalid_cursor', `The cursor "${cursor}" belongs to another list; cursors are only valid where they were handed out`);
  }
  return Number(position);
}
