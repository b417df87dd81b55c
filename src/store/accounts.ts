import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Account } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';
import { inTransaction, type Db } from './transaction.js';

export type { Account };

/** What `account create` prints: the only moment the auth token exists in clear. */
export interface AccountCredentials {
  accountSid: string;
  authToken: string;
}

export function hashAuthToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createAccount(db: Db, name = 'Account'): Promise<AccountCredentials> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  // Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
  const authToken = randomBytes(32).toString('hex');
  await inTransaction(db, ({ client }) => client.account.create({ data: { sid: accountSid, name, authTokenHash: hashAuthToken(authToken) } }));
  return { accountSid, authToken };
}

/**
 * Accounts already authenticated, per database client, by the hash of their token. An account never
 * changes once created (there is no way to update or delete one), so a hit is never stale; only
 * successes are kept, and the cache is bounded.
 */
const authenticated = new WeakMap<PrismaClient, Map<string, Account>>();
const CACHED_ACCOUNTS = 10_000;

function remember(prisma: PrismaClient, tokenHash: string, account: Account): Account {
  let cache = authenticated.get(prisma);
  if (!cache) authenticated.set(prisma, (cache = new Map()));
  if (cache.size >= CACHED_ACCOUNTS) cache.delete(cache.keys().next().value!);
  cache.set(tokenHash, account);
  return account;
}

/** The account a bearer token belongs to, or null. The lookup is by the token's hash, never the token. */
export async function accountForBearerToken(prisma: PrismaClient, token: string): Promise<Account | null> {
  const tokenHash = hashAuthToken(token);
  const cached = authenticated.get(prisma)?.get(tokenHash);
  if (cached) return cached;
  const account = await prisma.account.findUnique({ where: { authTokenHash: tokenHash } });
  return account && remember(prisma, tokenHash, account);
}

/** The account for HTTP Basic `AccountSid:AuthToken`, or null; the hashes are compared in constant time. */
export async function accountForBasicCredentials(
  prisma: PrismaClient,
  accountSid: string,
  authToken: string,
): Promise<Account | null> {
  const tokenHash = hashAuthToken(authToken);
  const account = authenticated.get(prisma)?.get(tokenHash) ?? (await prisma.account.findUnique({ where: { sid: accountSid } }));
  if (!account || account.sid !== accountSid) return null;
  const matches = timingSafeEqual(Buffer.from(account.authTokenHash, 'hex'), Buffer.from(tokenHash, 'hex'));
  return matches ? remember(prisma, tokenHash, account) : null;
}
