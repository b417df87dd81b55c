import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GatewayError } from '../errors.js';
import type { RedisConnection } from '../live/redis.js';
import type { RateLimitSettings } from './settings.js';

export interface RateLimits {
  /** Refuses a client address that has failed authentication too often, before its credentials cost a lookup. */
  checkAddress(address: string): Promise<void>;
  /** Counts a failed authentication against the address, refusing it once the address is over its limit. */
  authenticationFailed(address: string): Promise<void>;
  /** Counts a request against the account, refusing it over the account's limit. */
  consumeAccount(accountSid: string): Promise<void>;
}

function rateLimited(what: string, result: RateLimiterRes): GatewayError {
  const seconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  return new GatewayError('rate_limited', `Too many ${what}: retry after ${seconds} s`, seconds);
}

/**
 * One limiter: in Redis (counters shared by every gateway process) with an in-memory insurance
 * limiter that takes over while Redis is unreachable, so an outage neither refuses everyone nor
 * waits on a connection; in memory alone without Redis.
 */
function limiter(redis: Redis | undefined, prefix: string, points: number, duration: number): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ points, duration });
  if (!redis) return memory;
  return new RateLimiterRedis({ storeClient: redis, keyPrefix: prefix, points, duration, rejectIfRedisNotReady: true, insuranceLimiter: memory });
}

/** Counters shared through Redis when the gateway has a connection to it (shared with every gateway process), in process memory otherwise. */
export function createRateLimits(settings: RateLimitSettings, connection?: RedisConnection): RateLimits {
  let redis: Redis | undefined;
  const limiters = () => ({
    failures: limiter(redis, `${settings.redisPrefix}:auth-failures`, settings.authFailures, settings.authFailureWindowSeconds),
    accounts: limiter(redis, `${settings.redisPrefix}:account`, settings.accountRequests, settings.accountWindowSeconds),
  });
  // Until its first connection attempt ends, a Redis limiter would count in memory, and those counts
  // would be lost once Redis answers: the first requests wait for that attempt. A command's client
  // never waits for Redis: while it is away, the in-memory insurance limiter counts.
  const connected = connection
    ? connection.client('commands').then((client) => {
        redis = client;
        return limiters();
      })
    : Promise.resolve(limiters());
  // Addresses over the failure limit, as this process has learnt from `failures`: checking them
  // costs no Redis round trip, so a client that authenticates costs none either. Another process
  // learns of a block at the address's next failure there.
  const blocked = new RateLimiterMemory({ points: 1, duration: settings.authFailureWindowSeconds });
  return {
    async checkAddress(address) {
      const result = await blocked.get(address);
      if (result && result.consumedPoints > 1) throw rateLimited('failed authentications from this address', result);
    },
    async authenticationFailed(address) {
      const { failures } = await connected;
      const result = await failures.consume(address).catch((refusal: unknown) => {
        if (refusal instanceof RateLimiterRes) return refusal;
        throw refusal;
      });
      if (result.consumedPoints < settings.authFailures) return;
      await blocked.block(address, Math.max(1, Math.ceil(result.msBeforeNext / 1000)));
      if (result.consumedPoints > settings.authFailures) throw rateLimited('failed authentications from this address', result);
    },
    async consumeAccount(accountSid) {
      const { accounts } = await connected;
      await accounts.consume(accountSid).catch((result: unknown) => {
        throw result instanceof RateLimiterRes ? rateLimited('requests for this account', result) : result;
      });
    },
  };
}
