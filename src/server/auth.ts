import { callerForBasicCredentials, callerForBearerToken, type Caller } from '../store/accounts.js';
import type { PrismaClient } from '../store/database.js';
import { GatewayError } from '../errors.js';

/**
 * The caller from an Authorization header: `Bearer <auth token or API key secret>` (GraphQL,
 * analytics) or HTTP Basic `AccountSid:AuthToken` / `ApiKeySid:Secret` (Twilio). The request
 * boundary (gateway.ts) authenticates every request through this one function, once, before any
 * surface reads the request. A credential once accepted is trusted for `cacheMs`, then read again.
 */
export async function authenticate(prisma: PrismaClient, authorization: string | null | undefined, cacheMs: number): Promise<Caller> {
  const [scheme, credentials] = (authorization ?? '').trim().split(/\s+/, 2);
  let account: Caller | null = null;
  if (scheme && credentials && /^bearer$/i.test(scheme)) {
    account = await callerForBearerToken(prisma, credentials, cacheMs);
  } else if (scheme && credentials && /^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) account = await callerForBasicCredentials(prisma, decoded.slice(0, colon), decoded.slice(colon + 1), cacheMs);
  } else {
    throw new GatewayError('unauthenticated', 'Authentication required: send "Authorization: Bearer <auth token or API key secret>" or HTTP Basic AccountSid:AuthToken or ApiKeySid:Secret');
  }
  if (!account) throw new GatewayError('unauthenticated', 'The credentials were not accepted: unknown account or API key, wrong secret, or a rotated token or revoked key');
  return account;
}
