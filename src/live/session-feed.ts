import { Repeater } from 'graphql-yoga';
import { GatewayError } from '../errors.js';
import type { GatewayContext } from '../graphql/context.js';
import { decodeKeysetCursor } from '../store/keyset-cursor.js';
import { findSession, type Session } from '../store/sessions.js';
import { loadTimelineWindows, type TimelineItem } from '../store/timeline.js';

/** Items read from the store per statement while catching up. */
const PAGE_SIZE = 1000;

/**
 * Every item of a session after the cursor `after` (or, without one, from now on), then each item
 * appended later, in order, each exactly once. Live events only say "something was appended": the
 * items are always read from the store after the last one delivered, so an event lost (Redis away,
 * a process restarted) or overtaken costs nothing, and the seam between replay and live has no gap
 * and no duplicate. The stream ends the moment its client goes away (a Repeater can be returned
 * while it waits, which an async generator cannot), and counts against the account's cap of open
 * subscriptions until then. A refusal (no such session, a foreign cursor, the cap) is the stream's
 * first and only answer.
 */
export function followSession(context: GatewayContext, sessionId: string, after: string | undefined): Repeater<{ session: Session; item: TimelineItem }> {
  const { events, prisma, account } = context;
  return new Repeater(async (push, stop) => {
    let stopped = false;
    let behind = true;
    let wake = () => {};
    void stop.then(() => {
      stopped = true;
      wake();
    });
    const session = await findSession(prisma, account.sid, sessionId);
    if (!session) throw new GatewayError('not_found', `You have no session "${sessionId}"`);
    let delivered = after ? decodeKeysetCursor(after, session.id) : session.lastSeq;
    const release = events.subscriptions.add({
      accountSid: account.sid,
      end: () => stop(),
      catchUp: () => {
        behind = true;
        wake();
      },
    });
    // Listening starts before the first read, so nothing appended meanwhile goes unannounced.
    const live = events.bus.subscribe('messagesAppended', String(session.id));
    void stop.then(() => {
      release();
      return live.return();
    });
    void (async () => {
      for await (const event of live) {
        if (event.accountSid !== account.sid || event.throughSeq <= delivered) continue;
        behind = true;
        wake();
      }
    })();
    while (!stopped) {
      if (!behind) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      behind = false;
      for (;;) {
        const [{ items }] = await loadTimelineWindows(prisma, [
          { sessionPk: session.id, afterSeq: delivered, limit: PAGE_SIZE, newestFirst: false, filter: {} },
        ]);
        for (const item of items) {
          if (stopped) return;
          await push({ session, item });
          delivered = item.seq;
        }
        if (items.length < PAGE_SIZE) break;
      }
    }
  });
}
