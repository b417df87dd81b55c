import type { ServerResponse } from 'node:http';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { MessageEvents } from '../live/message-events.js';
import type { MessageLimits } from '../models/validation.js';
import type { Caller } from '../store/accounts.js';
import type { PrismaClient } from '../store/database.js';
import type { SealingKey } from '../store/sealing.js';
import { ReadBudget, readBudgetExceeded } from '../store/read-budget.js';
import { readTimelinePages, type TimelinePage, type TimelinePageWindow } from '../store/timeline-pages.js';
import {
  countTimelines,
  loadSourcesOf,
  timelineItemBytes,
  type TimelineFilter,
  type TimelineItem,
} from '../store/timeline.js';

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
  /** Seals the ids and cursors the caller sees (global ids, GraphQL cursors, Twilio PageTokens). */
  sealingKey: SealingKey;
  /** Where appends are announced and subscriptions listen. */
  events: MessageEvents;
  /** The most an operation may cost (see operation-limits.ts); unlimited when unset. */
  maxCost?: number;
  /** The most items a list field other than a connection can return (`sources`: MAX_SOURCES_PER_MESSAGE), for its cost. */
  maxListLength?: number;
  /** The bytes of rows all the reads of one operation may hold together (MAX_READ_BYTES). */
  maxReadBytes: number;
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
 *
 * Every page and source read of the request is charged to one ReadBudget, one read at a time so
 * each sees what the others hold: a page that would not fit is refused whole (LIMIT_EXCEEDED with
 * both figures) rather than answered short, and what was read for it is dropped at once.
 */
export const timelineLoaders = createContextCache((context: GatewayContext) => {
  const sourcesOnPages = new Map<bigint, TimelineItem[]>();
  const budget = new ReadBudget(context.maxReadBytes);
  let reading: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(read: () => Promise<T>): Promise<T> => {
    const result = reading.then(read, read);
    reading = result.catch(() => undefined);
    return result;
  };
  const pages = new DataLoader<TimelinePageWindow, TimelinePage, string>(
    (windows) =>
      oneAtATime(async () => {
        const heldBefore = budget.held;
        const read = await readTimelinePages(context.prisma, context.sealingKey, windows, budget);
        if (read.some((page) => !page.complete)) throw readBudgetExceeded(heldBefore + read.reduce((sum, page) => sum + page.bytes, 0), budget);
        for (const { sourcesOf } of read) for (const [id, cited] of sourcesOf) sourcesOnPages.set(id, cited);
        return read;
      }),
    {
      // The whole window, its one bigint as text: JSON.stringify with a replacer for it would call that on every key and value.
      cacheKeyFn: (window) => JSON.stringify({ ...window, sessionPk: String(window.sessionPk) }),
    },
  );
  return {
    budget,
    /** Runs a read of this request's after the ones before it, so that each is given what they left of the budget. */
    oneAtATime,
    sources: new DataLoader<bigint, TimelineItem[]>((ids) => oneAtATime(() => loadSourcesOf(context.prisma, context.account.sid, ids, budget))),
    sourcesOnPages,
    /** Charges the budget for timeline items about to be loaded as nodes (every column), or refuses them. */
    nodeBytes: new DataLoader<bigint, true>((ids) =>
      oneAtATime(async () => {
        const bytes = await timelineItemBytes(context.prisma, context.account.sid, ids);
        if (bytes > budget.remaining) throw readBudgetExceeded(budget.held + bytes, budget);
        budget.held += bytes;
        return ids.map(() => true as const);
      }),
    ),
    pages,
    /**
     * Hands a page read along with its session (held bytes counted from `heldBefore`) to the
     * `messages` field that will ask `pages` for this window, as if `pages` had read it.
     */
    primePage(window: TimelinePageWindow, page: TimelinePage, heldBefore: number) {
      if (!page.complete) {
        pages.prime(window, readBudgetExceeded(heldBefore + page.bytes, budget));
        return;
      }
      for (const [id, cited] of page.sourcesOf) sourcesOnPages.set(id, cited);
      pages.prime(window, page);
    },
    counts: new DataLoader<{ sessionPk: bigint; filter: TimelineFilter }, number, string>(
      (requests) => countTimelines(context.prisma, requests),
      { cacheKeyFn: (request) => JSON.stringify([String(request.sessionPk), request.filter]) },
    ),
  };
});
