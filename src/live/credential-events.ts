import { Redis } from 'ioredis';
import { GatewayError } from '../errors.js';

/**
 * "This account's credentials changed" (a token rotated, a key revoked), sent through Redis so that
 * every gateway process drops the credentials it has cached for the account at once. Only the
 * account sid travels; never a token.
 */
const CHANNEL = 'conversation-gateway:credentials-changed';

function connect(redisUrl: string): Redis {
  return new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3, connectTimeout: 5000 });
}

async function connected(redisUrl: string): Promise<Redis> {
  const client = connect(redisUrl);
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.disconnect();
    throw new GatewayError('invalid_configuration', `Redis at ${redisUrl} is not reachable (${(error as Error).message}); start it, or unset REDIS_URL`);
  }
}

/** Tells every gateway listening on this Redis that an account's credentials changed. */
export async function publishCredentialsChanged(redisUrl: string, accountSid: string): Promise<void> {
  const client = await connected(redisUrl);
  try {
    await client.publish(CHANNEL, accountSid);
  } finally {
    await client.quit();
  }
}

/** Calls `changed` with the account sid of every credential change published on this Redis; resolves once subscribed. */
export async function watchCredentialChanges(redisUrl: string, changed: (accountSid: string) => void): Promise<{ close(): Promise<void> }> {
  const client = await connected(redisUrl);
  await client.subscribe(CHANNEL);
  client.on('message', (channel: string, accountSid: string) => channel === CHANNEL && changed(accountSid));
  return { close: async () => void (await client.quit()) };
}
