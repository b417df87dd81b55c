import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { GatewayError } from '../errors.js';

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
  /** Publishes after a commit; a no-op for an empty append. */
  published(event: MessagesAppended | null): void;
  /** Flushes what was published and disconnects. */
  close(): Promise<void>;
}

/** In-process by default; with a Redis URL, events reach the subscribers of every gateway process. */
export async function openMessageEvents(redisUrl?: string): Promise<MessageEvents> {
  if (!redisUrl) {
    const bus: MessageEventBus = createPubSub();
    return { bus, description: 'in-process', published: (event) => event && bus.publish('messagesAppended', event.sessionPk, event), close: async () => {} };
  }
  const connect = () => new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3, connectTimeout: 5000 });
  const publishClient = connect();
  const subscribeClient = connect();
  try {
    await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  } catch (error) {
    publishClient.disconnect();
    subscribeClient.disconnect();
    throw new GatewayError('invalid_configuration', `Redis at ${redisUrl} is not reachable (${(error as Error).message}); start it, or unset REDIS_URL to keep live events in-process`);
  }
  const bus: MessageEventBus = createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
  const { host, port } = new URL(redisUrl);
  return {
    bus,
    description: `Redis at ${host}${port ? '' : ':6379'}`,
    published: (event) => event && bus.publish('messagesAppended', event.sessionPk, event),
    async close() {
      await Promise.all([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
