import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisConnection } from './redis.js';

/**
 * "This account's credentials changed" (a token rotated, a key revoked), sent through Redis so that
 * every gateway process drops the credentials it has cached for the account at once. Only the
 * account sid travels; never a token.
 */
const CHANNEL = 'conversation-gateway:credentials-changed';

/** Tells every gateway listening on this Redis that an account's credentials changed; rejects when Redis cannot be reached. */
export async function publishCredentialsChanged(redis: RedisConnection, accountSid: string): Promise<void> {
  const client = await redis.client('commands');
  await client.publish(CHANNEL, accountSid);
}

/**
 * Calls `changed` with the account sid of every credential change published on this Redis. Resolves
 * once subscribed, or after a few seconds while Redis does not answer: the gateway serves without it
 * (the subscription is made when Redis returns; credentials are checked again every few seconds meanwhile).
 */
export async function watchCredentialChanges(redis: RedisConnection, changed: (accountSid: string) => void): Promise<void> {
  const client = await redis.client('subscriber');
  client.on('message', (channel: string, accountSid: string) => channel === CHANNEL && changed(accountSid));
  await Promise.race([client.subscribe(CHANNEL).catch(() => {}), sleep(5000, undefined, { ref: false })]);
}
