import { accountForBasicCredentials, accountForBearerToken, type Account } from '../store/accounts.js';
import type { PrismaClient } from '../store/database.js';
import { GatewayError } from '../errors.js';

/**
 * The caller's account from an Authorization header: `Bearer <token>` (GraphQL, analytics) or
 * HTTP Basic `AccountSid:AuthToken` (Twilio). The request boundary (gateway.ts) authenticates every
 * request through this one function, once, before any surface reads the request.
 */
export async function authenticate(prisma: PrismaClient, authorization: string | null | undefined): Promise<Account> {
  const [scheme, credentials] = (authorization ?? '').trim().split(/\s+/, 2);
  let account: Account | null = null;
  if (scheme && credentials && /^bearer$/i.test(scheme)) {
    account = await accountForBearerToken(prisma, credentials);
  } else if (scheme && credentials && /^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) account = await accountForBasicCredentials(prisma, decoded.slice(0, colon), decoded.slice(colon + 1));
  } else {
    throw new GatewayError('unauthenticated', 'Authentication required: send "Authorization: Bearer <auth token>" or HTTP Basic AccountSid:AuthToken');
  }
  if (!account) throw new GatewayError('unauthenticated', 'The credentials were not accepted: unknown account or wrong auth token');
  return account;
}
