import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { MessageEvents } from '../live/message-events.js';
import type { Account } from '../store/accounts.js';
import type { PrismaClient } from '../store/database.js';
import { countTimelines, loadSourcesOf, loadTimelineWindows, type TimelineFilter, type TimelineWindow } from '../store/timeline.js';

/** Everything a resolver may touch. Every read is scoped to `account`, the authenticated caller. */
export interface GatewayContext {
  prisma: PrismaClient;
  account: Account;
  /** Where appends are announced and subscriptions listen. */
  events: MessageEvents;
}

/**
 * Per-request batching of timeline reads: every `messages` connection (and its totalCount) resolved
 * in the same tick becomes one statement, however many sessions a query walks. `sources` is one
 * loader shared by ChatMessage and KnowledgeCall, so a page citing both kinds still costs one statement.
 */
export const timelineLoaders = createContextCache((context: GatewayContext) => ({
  windows: new DataLoader<TimelineWindow, Awaited<ReturnType<typeof loadTimelineWindows>>[number], string>(
    (windows) => loadTimelineWindows(context.prisma, windows),
    { cacheKeyFn: (window) => JSON.stringify(window, (_key, value) => (typeof value === 'bigint' ? String(value) : value)) },
  ),
  counts: new DataLoader<{ sessionPk: bigint; filter: TimelineFilter }, number, string>(
    (requests) => countTimelines(context.prisma, requests),
    { cacheKeyFn: (request) => JSON.stringify([String(request.sessionPk), request.filter]) },
  ),
  sources: new DataLoader<bigint, Awaited<ReturnType<typeof loadSourcesOf>>[number]>((ids) =>
    loadSourcesOf(context.prisma, context.account.sid, ids),
  ),
}));
