import type { ServerResponse } from 'node:http';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { MessageEvents } from '../live/message-events.js';
import type { MessageLimits } from '../models/validation.js';
import type { Caller } from '../store/accounts.js';
import type { PrismaClient } from '../store/database.js';
import { countTimelines, loadSourcesOf, loadTimelineWindows, type TimelineFilter, type TimelineItem, type TimelineWindow } from '../store/timeline.js';

/** The sources of a message: from its page when it came on one, else through the sources loader. */
export function sourcesOfMessage(context: GatewayContext, messageId: bigint): TimelineItem[] | Promise<TimelineItem[]> {
  const loaders = timelineLoaders(context);
  return loaders.sourcesOnPages.get(messageId) ?? loaders.sources.load(messageId);
}

/** Everything a resolver may touch. Every read is scoped to `account`, the authenticated caller. */
export interface GatewayContext {
  prisma: PrismaClient;
  /** The caller's account; `readOnly` when the credential was a read-only API key. */
  account: Caller;
  /** Where appends are announced and subscriptions listen. */
  events: MessageEvents;
  /** The most an operation may cost (see operation-limits.ts); unlimited when unset. */
  maxCost?: number;
  /** What one appended message may hold; the defaults when unset. */
  messageLimits?: MessageLimits;
  /** The HTTP exchange an operation over /graphql runs in: what a subscription holds is let go when it closes. */
  response?: ServerResponse;
}

/**
 * Per-request batching of timeline reads: every `messages` connection (and its totalCount) resolved
 * in the same tick becomes one statement, however many sessions a query walks. A page comes with
 * its messages' sources (`sourcesOnPages`, read synchronously: no promise per message); `sources`
 * is one loader shared by ChatMessage and KnowledgeCall, for messages loaded other than through a page.
 */
export const timelineLoaders = createContextCache((context: GatewayContext) => {
  const sourcesOnPages = new Map<bigint, TimelineItem[]>();
  return {
    sources: new DataLoader<bigint, TimelineItem[]>((ids) => loadSourcesOf(context.prisma, context.account.sid, ids)),
    sourcesOnPages,
    windows: new DataLoader<TimelineWindow, TimelineItem[], string>(
      async (windows) =>
        (await loadTimelineWindows(context.prisma, windows)).map(({ items, sourcesOf }) => {
          for (const [id, cited] of sourcesOf) sourcesOnPages.set(id, cited);
          return items;
        }),
      { cacheKeyFn: (window) => JSON.stringify(window, (_key, value) => (typeof value === 'bigint' ? String(value) : value)) },
    ),
    counts: new DataLoader<{ sessionPk: bigint; filter: TimelineFilter }, number, string>(
      (requests) => countTimelines(context.prisma, requests),
      { cacheKeyFn: (request) => JSON.stringify([String(request.sessionPk), request.filter]) },
    ),
  };
});
