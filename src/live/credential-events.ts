import { setTimeout as sleep } from 'node:timers/promises';

/**
 * "This account's credentials changed" (a token rotated, a key revoked), sent through Redis so that
 * every gateway process drops the credentials it has cached for the account at once. Only the
 * account sid travels; never a token.
 */
const CHANNEL = 'conversation-gateway:credentials-changed';

/** Tells every gateway listening on this Redis that an account's credentials changed; rejects when Redis cannot be reached. */
export async function publishCredentialsChanged(redisUrl: string, accountSid: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.publish(CHANNEL, accountSid);
  } finally {
    client.disconnect();
  }
}

/**
 * Calls `changed` with the account sid of every credential change published on this Redis. Resolves
 * once subscribed, or after a few seconds while Redis does not answer: the gateway serves without it
 * (the subscription is made when Redis returns; credentials are checked again every few seconds meanwhile).
 */
export async function watchCredentialChanges(redisUrl: string, changed: (accountSid: string) => void): Promise<{ close(): Promise<void> }> {
  // Loaded only here: a gateway without Redis does not hold the client.
  const { Redis } = await import('ioredis');
  const client = new Redis(redisUrl, { maxRetriesPerRequest: null, connectTimeout: 5000, retryStrategy: (attempt) => Math.min(attempt * 200, 2000) });
  // An outage is reported once by the live-event bus, which uses the same Redis.
  client.on('error', () => {});
  client.on('message', (channel: string, accountSid: string) => channel === CHANNEL && changed(accountSid));
  await Promise.race([client.subscribe(CHANNEL).catch(() => {}), sleep(5000, undefined, { ref: false })]);
  return { close: async () => client.disconnect() };
}
