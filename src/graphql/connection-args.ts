import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { timelineCursor, timelinePosition } from '../store/keyset-cursor.js';
import type { SealingKey } from '../store/sealing.js';
import type { TimelineFilter, TimelineItem, TimelineWindow } from '../store/timeline.js';
import { invalidArgument } from './errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/**
 * Resolves a Relay connection over keyset cursors (`loadPage` returns items nearest the cursor
 * first, so newest first for `last`/`before`) after refusing what the Relay spec leaves
 * ambiguous or what we will not serve: `first` with `last`, negative sizes, more than MAX_PAGE_SIZE.
 */
export async function resolveKeysetConnection<T>(
  args: ConnectionArgs,
  toCursor: (item: T) => string,
  loadPage: (page: ResolveCursorConnectionArgs) => Promise<T[]>,
) {
  if (args.first != null && args.last != null) {
    throw invalidArgument('Pass either "first" (with "after") or "last" (with "before"), not both "first" and "last"');
  }
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw invalidArgument(`"${name}" must be between 0 and ${MAX_PAGE_SIZE}, got ${size}`);
    }
  }
  const { edges, pageInfo } = await resolveCursorConnection(
    { args, defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE, toCursor: () => '' },
    loadPage,
  );
  // A cursor is sealed (store/sealing.ts), which costs more than reading its row: each is made
  // only when it is read, so a query that selects no `cursor` and a Twilio page (which reads two)
  // pay for none or two, not one per edge.
  const nodes = edges.map((edge) => edge!.node);
  const cursorOf = (node: T | undefined) => (node === undefined ? null : toCursor(node));
  return {
    edges: nodes.map((node) => ({
      node,
      get cursor() {
        return toCursor(node);
      },
    })),
    pageInfo: {
      hasNextPage: pageInfo.hasNextPage,
      hasPreviousPage: pageInfo.hasPreviousPage,
      // An empty page has no cursors: the Relay spec's null, not the request's own cursor or "".
      get startCursor() {
        return cursorOf(nodes[0]);
      },
      get endCursor() {
        return cursorOf(nodes.at(-1));
      },
    },
  };
}

/**
 * A Relay connection over one session's timeline: the cursors are bound to the session, and each
 * page is one window read by `readWindow` (the page reader, batched or not).
 */
export function resolveTimelineConnection(
  sealingKey: SealingKey,
  sessionPk: bigint,
  args: ConnectionArgs,
  filter: TimelineFilter,
  readWindow: (window: TimelineWindow) => Promise<TimelineItem[]>,
) {
  return resolveKeysetConnection(
    args,
    (item: TimelineItem) => timelineCursor(sealingKey, sessionPk, item.seq),
    ({ after, before, limit, inverted }) =>
      readWindow({
        sessionPk,
        afterSeq: after ? timelinePosition(sealingKey, sessionPk, after) : undefined,
        beforeSeq: before ? timelinePosition(sealingKey, sessionPk, before) : undefined,
        limit,
        newestFirst: inverted,
        filter,
      }),
  );
}
