import { Repeater } from 'graphql-yoga';
import { GatewayError } from '../errors.js';
import { readBudgetOf, type GatewayContext } from '../graphql/context.js';
import { timelinePosition } from '../store/keyset-cursor.js';
import { findSession, type Session } from '../store/sessions.js';
import { loadTimelineWindows, type TimelineItem } from '../store/timeline.js';

/** Items read from the store per statement while catching up, at most; a statement also stops at MAX_READ_BYTES. */
const PAGE_SIZE = 1000;

export type SessionFeed = AsyncIterable<{ session: Session; item: TimelineItem }>;

/**
 * Every item of a session after the cursor `after` (or, without one, from now on), then each item
 * appended later, in order, each exactly once. Live events only say "something was appended": the
 * items are always read from the store after the last one delivered, so an event lost (Redis away,
 * a process restarted) or overtaken costs nothing, and the seam between replay and live has no gap
 * and no duplicate.
 *
 * The subscription is listening once this resolves, before the client is answered. It ends the
 * moment its client goes away (a Repeater can be returned while it waits, which an async generator
 * cannot) and counts against the account's cap of open subscriptions until then. A refusal (no
 * such session, a foreign cursor, the cap) is the stream's first and only answer. When the session
 * is deleted, on this process or another, the stream ends.
 */
export async function followSession(context: GatewayContext, sessionId: string, after: string | undefined): Promise<SessionFeed> {
  const { events, prisma, account } = context;
  let session: Session;
  let delivered: number;
  let release: () => void;
  let behind = true;
  let stopped = false;
  let wake = () => {};
  let end = () => {};
  try {
    const found = await findSession(prisma, account.sid, sessionId);
    if (!found) throw new GatewayError('not_found', `You have no session "${sessionId}"`);
    session = found;
    delivered = after ? timelinePosition(context.sealingKey, found.id, after) : found.lastSeq;
    release = events.subscriptions.add({
      accountSid: account.sid,
      response: context.response,
      caller: account,
      end: () => end(),
      catchUp: () => {
        behind = true;
        wake();
      },
    });
  } catch (error) {
    return new Repeater(() => {
      throw error;
    });
  }
  const live = events.bus.subscribe('messagesAppended', String(session.id));
  void (async () => {
    for await (const event of live) {
      if (event.accountSid !== account.sid) continue;
      if ('deleted' in event) return end();
      if (event.throughSeq <= delivered) continue;
      behind = true;
      wake();
    }
  })();
  const leave = () => {
    if (stopped) return;
    stopped = true;
    release();
    void live.return();
    wake();
  };
  const feed = new Repeater<{ session: Session; item: TimelineItem }>(async (push, stop) => {
    end = () => stop();
    void stop.then(leave);
    while (!stopped) {
      if (!behind) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      behind = false;
      for (;;) {
        const [{ items, complete }] = await loadTimelineWindows(
          prisma,
          [{ sessionPk: session.id, afterSeq: delivered, limit: PAGE_SIZE, newestFirst: false, filter: {} }],
          readBudgetOf(context),
        );
        for (const item of items) {
          if (stopped) return;
          await push({ session, item });
          delivered = item.seq;
        }
        if (items.length < PAGE_SIZE && complete) break;
      }
    }
  });
  // Before its first read the stream has not started: ending it or its client leaving releases it here.
  end = () => void feed.return();
  // However the HTTP exchange ends (the client leaves, or it is answered without a stream, as a
  // request that does not accept one is), what the subscription holds is let go with it.
  context.response?.once('close', () => void feed.return());
  const finish = feed.return.bind(feed);
  feed.return = (value) => {
    leave();
    return finish(value);
  };
  return feed;
}
