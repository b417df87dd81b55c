import { GatewayError } from '../errors.js';
import type { SealingKey } from './sealing.js';

/**
 * A position in a keyset-paged list, sealed for that list (its scope: one session's timeline, one
 * account's sessions). A client sees neither the position nor the list's row ids, and a cursor of
 * another list, another account's included, or one edited by hand, is refused rather than read
 * against the wrong list. GraphQL cursors and Twilio PageTokens are both keyset cursors.
 */
export function sealCursor(key: SealingKey, scope: string, payload: Uint8Array): string {
  // A scope names one list, under a prefix of its kind ("timeline:", "sessions:"), and says everything a cursor must match.
  return key.seal(scope, payload);
}

/** The payload of a cursor sealed for `scope`; anything else is `invalid_cursor`. */
export function openCursor(key: SealingKey, scope: string, cursor: string): Buffer {
  const payload = key.open(scope, cursor);
  if (!payload) {
    throw new GatewayError('invalid_cursor', `"${cursor}" is not a cursor this API handed out for this list; a cursor is only valid in the list it came from`);
  }
  return payload;
}

/** The highest timeline position (`seq` is a PostgreSQL integer). */
export const MAX_TIMELINE_POSITION = 2147483647;

const timelineScope = (sessionPk: bigint) => `timeline:${sessionPk}`;

/** The cursor of a session's timeline standing at `position` (the `seq` of the item it follows). */
export function timelineCursor(key: SealingKey, sessionPk: bigint, position: number): string {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(position);
  return sealCursor(key, timelineScope(sessionPk), payload);
}

/** The position a cursor of this session's timeline stands at. */
export function timelinePosition(key: SealingKey, sessionPk: bigint, cursor: string): number {
  return openCursor(key, timelineScope(sessionPk), cursor).readUInt32BE();
}
