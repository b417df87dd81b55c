import type { Redis } from 'ioredis';

/** Where an outage is reported: the gateway's log (pino's warn and info fit). */
export interface RedisLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/**
 * What a client is for: `commands` never waits for Redis (no offline queue, one try: a publish or
 * a rate-limit count during an outage fails at once); `subscriber` waits for the connection.
 */
export type RedisRole = 'commands' | 'subscriber';

/**
 * The process's way to Redis, shared by the live-event bus, the rate limiters and the
 * credential-change watcher: every client reconnects by the same policy, for as long as the process
 * runs, and an outage is one line in the log when Redis goes away and one when it is back,
 * however many clients and reconnect attempts lie between.
 */
export interface RedisConnection {
  /** "Redis at host:port". */
  description: string;
  /** A new client; resolves once its first attempt to connect has ended, connected or not. */
  client(role: RedisRole): Promise<Redis>;
  /** A command failed for want of Redis (a publish during an outage): reported as the outage. */
  failed(error: Error): void;
  /** Called each time Redis is back after an outage. */
  onBack(listener: () => void): void;
  /** Flushes what was sent and disconnects every client. */
  close(): Promise<void>;
}

/** Reconnects forever, backing off to one attempt every 2 s. */
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2000);
const CONNECT_TIMEOUT_MS = 2000;

export function connectRedis(url: string, log: RedisLog): RedisConnection {
  const parsed = new URL(url);
  const description = `Redis at ${parsed.hostname}:${parsed.port || 6379}`;
  const clients = new Set<Redis>();
  const down = new Set<Redis>();
  const listeners: (() => void)[] = [];
  let reported = false;
  const failed = (error: Error) => {
    if (reported) return;
    reported = true;
    log.warn({ redis: description, err: error.message }, 'Redis is unreachable; reconnecting. Writes carry on; live events and shared rate limits resume when it is back');
  };
  return {
    description,
    failed,
    onBack: (listener) => void listeners.push(listener),
    async client(role) {
      // Loaded only here: a process without Redis does not hold the client.
      const { Redis } = await import('ioredis');
      const client = new Redis(url, {
        lazyConnect: true,
        connectTimeout: CONNECT_TIMEOUT_MS,
        retryStrategy,
        ...(role === 'commands' ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: null }),
      });
      clients.add(client);
      client.on('error', (error: Error) => {
        down.add(client);
        failed(error);
      });
      client.on('close', () => down.add(client));
      client.on('ready', () => {
        down.delete(client);
        if (down.size || !reported) return;
        reported = false;
        log.info({ redis: description }, 'Redis is back');
        listeners.forEach((listener) => listener());
      });
      // Starting while Redis is down is the same as Redis going down later: the process carries on, and says so.
      await client.connect().catch(() => {});
      return client;
    },
    async close() {
      await Promise.all([...clients].map((client) => (client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect())));
    },
  };
}
