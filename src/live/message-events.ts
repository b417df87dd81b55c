import { createPubSub, type PubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { RedisConnection } from './redis.js';
import { OpenSubscriptions } from './subscriptions.js';

/**
 * "These timeline items were appended": the items of one session with `seq` in
 * (afterSeq, throughSeq], written by one commit. Subscribers read the items themselves, scoped to
 * their own account, so an event carries positions, never message content.
 */
export interface MessagesAppended {
  accountSid: string;
  sessionPk: string;
  afterSeq: number;
  throughSeq: number;
}

/**
 * "This session was deleted": its open streams end, on every process. Sent on the session's own
 * channel, the one its streams already listen to, so ending them costs no subscription of its own.
 */
export interface SessionDeleted {
  accountSid: string;
  sessionPk: string;
  deleted: true;
}

/** What is said of one session. */
export type SessionEvent = MessagesAppended | SessionDeleted;

// The channel keeps its first name, "messagesAppended:<session>", so gateways of an earlier release still hear appends during an upgrade.
export type MessageEventBus = PubSub<{ messagesAppended: [sessionPk: string, event: SessionEvent] }>;

export interface MessageEvents {
  bus: MessageEventBus;
  /** Where events travel: "in-process" or "Redis at host:port". */
  description: string;
  /** The subscriptions open in this process. */
  subscriptions: OpenSubscriptions;
  /**
   * Publishes after a commit; a no-op for an empty append. It never fails: a lost append is
   * recovered from the store, and a stream whose session was deleted finds nothing more to read.
   */
  published(event: SessionEvent | null): void;
}

export interface MessageEventsOptions {
  maxSubscriptionsPerAccount: number;
}

export const defaultMessageEventsOptions: MessageEventsOptions = { maxSubscriptionsPerAccount: 100 };

/** Sessions whose latest unsent event is kept through a Redis outage; beyond, clients recover by their cursor. */
const MAX_UNSENT_SESSIONS = 10_000;

/** In-process by default; through Redis, events reach the subscribers of every gateway process. */
export async function openMessageEvents(redis?: RedisConnection, options: MessageEventsOptions = defaultMessageEventsOptions): Promise<MessageEvents> {
  const subscriptions = new OpenSubscriptions(options.maxSubscriptionsPerAccount);
  if (!redis) {
    const bus: MessageEventBus = createPubSub();
    return {
      bus,
      description: 'in-process',
      subscriptions,
      published: (event) => event && bus.publish('messagesAppended', event.sessionPk, event),
    };
  }
  // When Redis is back, subscribers read what they missed from the store.
  redis.onBack(() => subscriptions.catchUpAll());
  // Loaded only here: a gateway without Redis does not hold it.
  const { createRedisEventTarget } = await import('@graphql-yoga/redis-event-target');
  const [publishClient, subscribeClient] = await Promise.all([redis.client('commands'), redis.client('subscriber')]);
  const bus: MessageEventBus = createPubSub({
    eventTarget: createRedisEventTarget({ publishClient, subscribeClient: quietCommands(subscribeClient, redis.failed) }),
  });
  // What a publish could not send while Redis was away, the latest event per session (subscribers
  // read the store after their own last item, so it stands for the earlier ones), sent when it is back:
  // a subscriber on another process whose Redis came back first still hears of it.
  const unsent = new Map<string, SessionEvent>();
  // Published directly on the channel Yoga's pubsub listens to ("routingKey:id"), so a failure is caught here.
  const publish = (event: SessionEvent) =>
    publishClient.publish(`messagesAppended:${event.sessionPk}`, JSON.stringify(event)).catch((error: Error) => {
      const kept = unsent.get(event.sessionPk);
      // A deletion is the session's last word: an append published late does not replace it.
      const keep = kept ? !('deleted' in kept) : unsent.size < MAX_UNSENT_SESSIONS;
      if (keep) unsent.set(event.sessionPk, event);
      redis.failed(error);
    });
  publishClient.on('ready', () => {
    const events = [...unsent.values()];
    unsent.clear();
    events.forEach(publish);
  });
  return {
    bus,
    description: redis.description,
    subscriptions,
    published: (event) => {
      if (event) void publish(event);
    },
  };
}

/**
 * Yoga's Redis event target fires SUBSCRIBE and UNSUBSCRIBE and forgets their promises: one
 * rejected while Redis is away (or at shutdown) would end the process as an unhandled rejection.
 */
function quietCommands(client: Redis, onFailure: (error: Error) => void): Redis {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'subscribe' || property === 'unsubscribe') {
        return (...args: unknown[]) => (value as (...args: unknown[]) => Promise<unknown>).apply(target, args).catch(onFailure);
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
