import { createHash } from 'node:crypto';
import { GatewayError } from '../errors.js';
import type { SealingKey } from './sealing.js';

/**
 * Positions in the lists the store reads by keyset (one session's timeline; an account's sessions
 * in one order and filter; the hits of one search), sealed for their list. A client sees neither
 * the position nor the list's row ids, and a cursor of another list, another account's included,
 * or one edited by hand, is refused rather than read against the wrong list. GraphQL cursors and
 * Twilio PageTokens are both these cursors.
 */

/** The payload of a cursor sealed for `scope` (a list, under a prefix of its kind); anything else is `invalid_cursor`. */
function openCursor(key: SealingKey, scope: string, cursor: string): Buffer {
  const payload = key.open(scope, cursor);
  if (!payload) {
    throw new GatewayError('invalid_cursor', `"${cursor}" is not a cursor this API handed out for this list; a cursor is only valid in the list it came from`);
  }
  return payload;
}

/** The highest timeline position (`seq` is a PostgreSQL integer). */
export const MAX_TIMELINE_POSITION = 2147483647;

const timelineScope = (sessionPk: bigint) => `timeline:${sessionPk}`;

/**
 * A timeline cursor is one enciphered block: this kind byte, the session's row id, the position,
 * and zero padding. Opened, all but the position must be as written (96 bits a forger would have
 * to guess, as many as `seal`'s tag) and the session the one being read.
 */
const TIMELINE_BLOCK_KIND = 0x74;

function writeTimelineBlock(blocks: Buffer, offset: number, sessionPk: bigint, position: number): void {
  blocks[offset] = TIMELINE_BLOCK_KIND;
  blocks.writeBigUInt64BE(sessionPk, offset + 1);
  blocks.writeUInt32BE(position, offset + 9);
}

/** The cursor of a session's timeline standing at `position` (the `seq` of the item it follows). */
export function timelineCursor(key: SealingKey, sessionPk: bigint, position: number): string {
  const block = Buffer.alloc(16);
  writeTimelineBlock(block, 0, sessionPk, position);
  return key.encipherBlocks(block)[0]!;
}

/**
 * The cursor of each item of a page of one session's timeline, all enciphered together when the
 * first is asked for: one cipher call for the page rather than one per item.
 */
export function timelineCursorsOf<T extends { seq: number }>(key: SealingKey, sessionPk: bigint, items: readonly T[]): (item: T) => string {
  let byItem: Map<T, string> | undefined;
  return (item) => {
    if (!byItem) {
      const blocks = Buffer.alloc(items.length * 16);
      items.forEach((each, n) => writeTimelineBlock(blocks, n * 16, sessionPk, each.seq));
      const cursors = key.encipherBlocks(blocks);
      byItem = new Map(items.map((each, n) => [each, cursors[n]!]));
    }
    return byItem.get(item) ?? timelineCursor(key, sessionPk, item.seq);
  };
}

/** The position a cursor of this session's timeline stands at. */
export function timelinePosition(key: SealingKey, sessionPk: bigint, cursor: string): number {
  const block = key.decipherBlock(cursor);
  if (block && block[0] === TIMELINE_BLOCK_KIND && block.readBigUInt64BE(1) === sessionPk && block.readUIntBE(13, 3) === 0) return block.readUInt32BE(9);
  // A cursor handed out before timeline cursors were single blocks (a client paging across the upgrade).
  return openCursor(key, timelineScope(sessionPk), cursor).readUInt32BE();
}

/**
 * The position a cursor of some session's timeline holds, its seal unchecked (0 when it holds
 * none that could be): for reading a page while the session is looked up in the same statement.
 * timelinePosition confirms it, or refuses the cursor, once the session is known; nothing read
 * with it is handed out before.
 */
export function uncheckedTimelinePosition(key: SealingKey, cursor: string): number {
  const block = key.decipherBlock(cursor);
  let position = 0;
  if (block && block[0] === TIMELINE_BLOCK_KIND && block.readUIntBE(13, 3) === 0) position = block.readUInt32BE(9);
  else {
    // A cursor of the earlier kind, sealed for its session's scope.
    const payload = key.openUnchecked(cursor);
    if (payload?.length === 4) position = payload.readUInt32BE();
  }
  return position <= MAX_TIMELINE_POSITION ? position : 0;
}

/** What a list's cursors are bound to: a digest of everything that defines the list (whose, which, in what order). */
export function listBinding(...definition: unknown[]): string {
  const json = JSON.stringify(definition, (_key, value) => (typeof value === 'bigint' ? String(value) : value));
  return createHash('sha256').update(json).digest('base64url').slice(0, 22);
}

const listScope = (binding: string) => `list:${binding}`;

/** The cursor of a list standing at `position` (the values of the row it follows, in the list's order). */
export function listCursor(key: SealingKey, binding: string, position: readonly (string | number)[]): string {
  return key.seal(listScope(binding), Buffer.from(JSON.stringify(position)));
}

/** The position a cursor of this list stands at: as many values as `shape` has, each of its type. */
export function listPosition(key: SealingKey, cursor: string, binding: string, shape: readonly ('number' | 'string')[]): (string | number)[] {
  const payload = openCursor(key, listScope(binding), cursor);
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
