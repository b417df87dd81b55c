import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Account } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';

export type { Account };

/** What `account create` prints: the only moment the auth token exists in clear. */
export interface AccountCredentials {
  accountSid: string;
  authToken: string;
}

export function hashAuthToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createAccount(prisma: PrismaClient, name = 'Account'): Promise<AccountCredentials> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  // Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
  const authToken = randomBytes(32).toString('hex');
  await prisma.account.create({ data: { sid: accountSid, name, authTokenHash: hashAuthToken(authToken) } });
  return { accountSid, authToken };
}

/** The account a bearer token belongs to, or null. The lookup is by the token's hash, never the token. */
export function accountForBearerToken(prisma: PrismaClient, token: string): Promise<Account | null> {
  return prisma.account.findUnique({ where: { authTokenHash: hashAuthToken(token) } });
}

/** The account for HTTP Basic `AccountSid:AuthToken`, or null; the hashes are compared in constant time. */
export async function accountForBasicCredentials(
  prisma: PrismaClient,
  accountSid: string,
  authToken: string,
): Promise<Account | null> {
  const account = await prisma.account.findUnique({ where: { sid: accountSid } });
  if (!account) return null;
  const expected = Buffer.from(account.authTokenHash, 'hex');
  const given = Buffer.from(hashAuthToken(authToken), 'hex');
  return timingSafeEqual(expected, given) ? account : null;
}
