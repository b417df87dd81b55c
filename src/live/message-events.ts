import { createPubSub, type PubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { GatewayError } from '../errors.js';
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

export type MessageEventBus = PubSub<{ messagesAppended: [sessionPk: string, event: MessagesAppended] }>;

export interface MessageEvents {
  bus: MessageEventBus;
  /** Where events travel: "in-process" or "Redis at host:port". */
  description: string;
  /** The subscriptions open in this process. */
  subscriptions: OpenSubscriptions;
  /** Publishes after a commit; a no-op for an empty append. It never fails: a lost event is recovered from the store. */
  published(event: MessagesAppended | null): void;
  /** Flushes what was published and disconnects. */
  close(): Promise<void>;
}

export interface MessageEventsOptions {
  maxSubscriptionsPerAccount: number;
}

export const defaultMessageEventsOptions: MessageEventsOptions = { maxSubscriptionsPerAccount: 100 };

/** Sessions whose latest unsent event is kept through a Redis outage; beyond, clients recover by their cursor. */
const MAX_UNSENT_SESSIONS = 10_000;

/** In-process by default; with a Redis URL, events reach the subscribers of every gateway process. */
export async function openMessageEvents(redisUrl?: string, options: MessageEventsOptions = defaultMessageEventsOptions): Promise<MessageEvents> {
  const subscriptions = new OpenSubscriptions(options.maxSubscriptionsPerAccount);
  if (!redisUrl) {
    const bus: MessageEventBus = createPubSub();
    return {
      bus,
      description: 'in-process',
      subscriptions,
      published: (event) => event && bus.publish('messagesAppended', event.sessionPk, event),
      close: async () => {},
    };
  }
  let parsed: URL;
  try {
    parsed = new URL(redisUrl);
  } catch {
    throw new GatewayError('invalid_configuration', 'REDIS_URL is not a URL; expected redis://host:6379');
  }
  const description = `Redis at ${parsed.hostname}:${parsed.port || 6379}`;
  const outage = redisOutageLog(description, () => subscriptions.catchUpAll());
  // Redis is optional at run time: clients reconnect forever, a publish during an outage fails at
  // once (never queued, never thrown at the writer), and a subscribe waits for the connection.
  const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2000);
  // The Redis client is loaded only here: a gateway without Redis does not hold it.
  const [{ Redis }, { createRedisEventTarget }] = await Promise.all([import('ioredis'), import('@graphql-yoga/redis-event-target')]);
  const publishClient = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: 5000, retryStrategy });
  for (const client of [publishClient, subscribeClient]) outage.watch(client);
  // Starting while Redis is down is the same as Redis going down later: the gateway serves, and says so.
  await Promise.all([publishClient.connect(), subscribeClient.connect()]).catch(() => {});
  const bus: MessageEventBus = createPubSub({
    eventTarget: createRedisEventTarget({ publishClient, subscribeClient: quietCommands(subscribeClient, outage.failed) }),
  });
  // What a publish could not send while Redis was away, the latest event per session (subscribers
  // read the store after their own last item, so it stands for the earlier ones), sent when it is back:
  // a subscriber on another process whose Redis came back first still hears of it.
  const unsent = new Map<string, MessagesAppended>();
  // Published directly on the channel Yoga's pubsub listens to ("routingKey:id"), so a failure is caught here.
  const publish = (event: MessagesAppended) =>
    publishClient.publish(`messagesAppended:${event.sessionPk}`, JSON.stringify(event)).catch((error: Error) => {
      if (unsent.size < MAX_UNSENT_SESSIONS || unsent.has(event.sessionPk)) unsent.set(event.sessionPk, event);
      outage.failed(error);
    });
  publishClient.on('ready', () => {
    const events = [...unsent.values()];
    unsent.clear();
    events.forEach(publish);
  });
  return {
    bus,
    description,
    subscriptions,
    published: (event) => {
      if (event) void publish(event);
    },
    async close() {
      await Promise.all(
        [publishClient, subscribeClient].map((client) => (client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect())),
      );
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

/**
 * One log line when Redis goes away and one when it is back, however many reconnect attempts and
 * failed publishes lie between. When it is back, subscribers read what they missed from the store.
 */
function redisOutageLog(description: string, onBack: () => void) {
  const down = new Set<Redis>();
  let logged = false;
  const report = (error: Error) => {
    if (logged) return;
    logged = true;
    console.error(
      `${description} is unreachable (${error.message}); reconnecting. Writes carry on; live events resume when it is back, ` +
        'and subscribers catch up from the store.',
    );
  };
  return {
    watch(client: Redis) {
      client.on('error', (error: Error) => {
        down.add(client);
        report(error);
      });
      client.on('close', () => down.add(client));
      client.on('ready', () => {
        down.delete(client);
        if (!down.size && logged) {
          logged = false;
          console.error(`${description} is back; live events resume.`);
          onBack();
        }
      });
    },
    failed: (error: Error) => report(error),
  };
}
