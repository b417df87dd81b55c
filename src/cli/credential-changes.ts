import { publishCredentialsChanged } from '../live/credential-events.js';

/**
 * After a token rotation or a key revocation, which is stored already: tells the running gateways
 * through Redis (when REDIS_URL is set) to drop the old credential and end the streams opened with
 * the account's credentials. When Redis cannot be reached the command still succeeds, and says
 * that the gateways refuse the old credential once their cache of it expires.
 */
export async function announceCredentialsChanged(redisUrl: string | undefined, accountSid: string): Promise<void> {
  if (!redisUrl) return;
  await publishCredentialsChanged(redisUrl, accountSid).catch((error: Error) => {
    process.stderr.write(
      `conversation-gateway: warning: running gateways could not be told through Redis (${error.message}); ` +
        'they refuse the old credential within 30 s, when their cache of it expires.\n',
    );
  });
}
