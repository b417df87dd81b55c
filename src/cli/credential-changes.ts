import type { Configuration } from '../config.js';
import { publishCredentialsChanged } from '../live/credential-events.js';
import { connectRedis } from '../live/redis.js';

/**
 * After a token rotation or a key revocation, which is stored (and announced through PostgreSQL)
 * already: tells the running gateways through Redis too, when REDIS_URL is set. When Redis cannot
 * be reached the command still succeeds, and says that the gateways refuse the old credential all
 * the same, when they check it again.
 */
export async function announceCredentialsChanged({ redisUrl, gateway }: Configuration, accountSid: string): Promise<void> {
  if (!redisUrl) return;
  // The warning below says what an outage means here; the connection itself stays quiet.
  const redis = connectRedis(redisUrl, { warn() {}, info() {} });
  await publishCredentialsChanged(redis, accountSid).catch((error: Error) => {
    process.stderr.write(
      `conversation-gateway: warning: running gateways could not be told through Redis (${error.message}); ` +
        `they refuse the old credential within ${gateway.credentialCheckMs / 1000} s all the same, when they check it again.\n`,
    );
  });
  await redis.close();
}
