import type { Configuration } from '../config.js';
import { publishCredentialsChanged } from '../live/credential-events.js';

/**
 * After a token rotation or a key revocation, which is stored (and announced through PostgreSQL)
 * already: tells the running gateways through Redis too, when REDIS_URL is set. When Redis cannot
 * be reached the command still succeeds, and says that the gateways refuse the old credential all
 * the same, when they check it again.
 */
export async function announceCredentialsChanged({ redisUrl, gateway }: Configuration, accountSid: string): Promise<void> {
  if (!redisUrl) return;
  await publishCredentialsChanged(redisUrl, accountSid).catch((error: Error) => {
    process.stderr.write(
      `conversation-gateway: warning: running gateways could not be told through Redis (${error.message}); ` +
        `they refuse the old credential within ${gateway.credentialCheckMs / 1000} s all the same, when they check it again.\n`,
    );
  });
}
