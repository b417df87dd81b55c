import { GatewayError } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/**
 * A page of a keyset-paged list as a client asks for it, in Relay's terms: `first` items after a
 * cursor, or `last` items before one. GraphQL's connection arguments and a Twilio PageToken both
 * come to this; the cursors are the store's own (cursors.ts).
 */
export interface PageRequest {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A page request as the store reads it: `limit` rows nearest the cursor, one past the page's `size` to tell whether more follow. */
export interface KeysetWindow {
  after?: string;
  before?: string;
  size: number;
  limit: number;
  /** Read backwards from `before` (a `last` page): rows come nearest first, so newest first. */
  newestFirst: boolean;
}

/** Where a page stands in its list; an empty page has no cursors. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A page in list order, with its place in the list and the cursor of each of its items. */
export interface Page<T> {
  items: T[];
  pageInfo: PageInfo;
  cursorOf(item: T): string;
}

/**
 * The window a request reads, after refusing what Relay leaves ambiguous or what is not served:
 * `first` with `last`, negative sizes, more than MAX_PAGE_SIZE.
 */
export function keysetWindow({ first, after, last, before }: PageRequest): KeysetWindow {
  if (first != null && last != null) {
    throw new GatewayError('invalid_argument', 'Pass either "first" (with "after") or "last" (with "before"), not both "first" and "last"');
  }
  for (const [name, size] of [['first', first], ['last', last]] as const) {
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw new GatewayError('invalid_argument', `"${name}" must be between 0 and ${MAX_PAGE_SIZE}, got ${size}`);
    }
  }
  const size = first ?? last ?? DEFAULT_PAGE_SIZE;
  // Relay's reading of the arguments: backwards for `last`, or for `before` without `first`.
  const newestFirst = last != null || (first == null && !!before && !after);
  return { after: after ?? undefined, before: before ?? undefined, size, limit: size + 1, newestFirst };
}

/**
 * The page `rows` make (read by `window`, nearest the cursor first). `cutShort`: the read stopped
 * before its limit for want of read budget, so more follow in the direction it read, whatever
 * its length says. A cursor is sealed, which costs more than reading its row: none is made until
 * one is read, so a GraphQL query that selects none pays for none (`cursorOf` may then seal the
 * whole page's at once, as timelineCursorsOf does).
 */
export function keysetPage<T>(window: KeysetWindow, rows: readonly T[], cursorOf: (item: T) => string, cutShort = false): Page<T> {
  const items = rows.slice(0, window.size);
  if (window.newestFirst) items.reverse();
  const more = rows.length > window.size || cutShort;
  const cursorAt = (item: T | undefined) => (item === undefined ? null : cursorOf(item));
  return {
    items,
    cursorOf,
    pageInfo: {
      hasNextPage: window.newestFirst ? !!window.before : more,
      hasPreviousPage: window.newestFirst ? more : !!window.after,
      get startCursor() {
        return cursorAt(items[0]);
      },
      get endCursor() {
        return cursorAt(items.at(-1));
      },
    },
  };
}
