import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Account } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';
import { inTransaction, type Db } from './transaction.js';
import { notifyCredentialsChanged } from './credential-changes.js';
import { GatewayError } from '../errors.js';

export type { Account };

/** What `account create` prints: the only moment the auth token exists in clear. */
export interface AccountCredentials {
  accountSid: string;
  authToken: string;
}

/** An authenticated caller: the account, and whether the credential used may write. */
export interface Caller extends Account {
  /** True for a read-only API key: every mutation is refused. */
  readOnly: boolean;
  /** The API key used ("SK…"), or null for the account's auth token. */
  apiKeySid: string | null;
}

/** Tokens and secrets are 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashAuthToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newSecret(): string {
  // 256 random bits, so a fast hash is enough: there is nothing to brute-force.
  return randomBytes(32).toString('hex');
}

export async function createAccount(db: Db, name = 'Account'): Promise<AccountCredentials> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = newSecret();
  await inTransaction(db, ({ client }) => client.account.create({ data: { sid: accountSid, name, authTokenHash: hashAuthToken(authToken) } }));
  return { accountSid, authToken };
}

/**
 * An account under the sid, name and creation date it had elsewhere (an archive's), with a new
 * auth token: credentials are never exported.
 */
export async function restoreAccount(db: Db, account: { sid: string; name: string; createdAt: Date }): Promise<AccountCredentials> {
  const authToken = newSecret();
  await inTransaction(db, ({ client }) => client.account.create({ data: { ...account, authTokenHash: hashAuthToken(authToken) } }));
  return { accountSid: account.sid, authToken };
}

export interface AccountSummary {
  accountSid: string;
  name: string;
  createdAt: Date;
  tokenRotatedAt: Date | null;
  apiKeys: number;
  /** Sessions whose last message is older than this many days are swept away; null keeps them. */
  retentionDays: number | null;
}

export async function listAccounts(prisma: PrismaClient): Promise<AccountSummary[]> {
  const accounts = await prisma.account.findMany({ orderBy: { createdAt: 'asc' }, include: { _count: { select: { apiKeys: true } } } });
  return accounts.map(({ sid, name, createdAt, tokenRotatedAt, retentionDays, _count }) => ({
    accountSid: sid,
    name,
    createdAt,
    tokenRotatedAt,
    apiKeys: _count.apiKeys,
    retentionDays,
  }));
}

/** The longest retention that can be set: a hundred years, which keeps every cutoff a date PostgreSQL holds. */
export const MAX_RETENTION_DAYS = 36_500;

/**
 * Sets how many days an account's sessions are kept after their last message (null: for ever).
 * The gateways' next retention sweep applies it.
 */
export async function setRetention(prisma: PrismaClient, accountSid: string, retentionDays: number | null): Promise<{ accountSid: string; retentionDays: number | null }> {
  if (retentionDays !== null && !(Number.isSafeInteger(retentionDays) && retentionDays >= 1 && retentionDays <= MAX_RETENTION_DAYS)) {
    throw new GatewayError('invalid_argument', `A retention is a whole number of days from 1 to ${MAX_RETENTION_DAYS}, not ${retentionDays}`);
  }
  const { count } = await prisma.account.updateMany({ where: { sid: accountSid }, data: { retentionDays } });
  if (!count) throw new GatewayError('not_found', `No account ${accountSid}; "conversation-gateway account list" shows the accounts`);
  return { accountSid, retentionDays };
}

/**
 * Replaces an account's auth token; the old one is refused from now on. A gateway in this process
 * forgets it here; gateways in other processes are told by the database, with the change.
 */
export async function rotateAuthToken(prisma: PrismaClient, accountSid: string): Promise<AccountCredentials> {
  const authToken = newSecret();
  await inTransaction(prisma, async (transaction) => {
    const data = { authTokenHash: hashAuthToken(authToken), tokenRotatedAt: new Date() };
    const { count } = await transaction.client.account.updateMany({ where: { sid: accountSid }, data });
    if (!count) throw new GatewayError('not_found', `No account ${accountSid}; "conversation-gateway account list" shows the accounts`);
    await notifyCredentialsChanged(transaction, accountSid);
  });
  forgetCredentials(prisma, accountSid);
  return { accountSid, authToken };
}

/**
 * Credentials already accepted, per database client, by the hash of the token or secret. A
 * credential can be rotated or revoked, so an entry lives only as long as the caller allows
 * (CREDENTIAL_CHECK_MS), and `forgetCredentials` drops an account's entries at once (on every
 * process the change is announced to); only successes are kept, and the cache is bounded.
 */
interface Accepted {
  caller: Caller;
  /** The Basic user name this credential goes with: the account sid, or the API key sid. */
  username: string;
  expiresAt: number;
}

const accepted = new WeakMap<PrismaClient, Map<string, Accepted>>();
const CACHED_CREDENTIALS = 10_000;

function remember(prisma: PrismaClient, secretHash: string, caller: Caller, cacheMs: number): Caller {
  let cache = accepted.get(prisma);
  if (!cache) accepted.set(prisma, (cache = new Map()));
  if (cache.size >= CACHED_CREDENTIALS) cache.delete(cache.keys().next().value!);
  cache.set(secretHash, { caller, username: caller.apiKeySid ?? caller.sid, expiresAt: Date.now() + cacheMs });
  return caller;
}

function recalled(prisma: PrismaClient, secretHash: string): Accepted | undefined {
  const entry = accepted.get(prisma)?.get(secretHash);
  if (entry && entry.expiresAt > Date.now()) return entry;
  if (entry) accepted.get(prisma)!.delete(secretHash);
  return undefined;
}

/** Drops every cached credential of an account (of every account without one): the next request with one of them reads the database. */
export function forgetCredentials(prisma: PrismaClient, accountSid?: string): void {
  const cache = accepted.get(prisma);
  for (const [hash, entry] of cache ?? []) if (accountSid === undefined || entry.caller.sid === accountSid) cache!.delete(hash);
}

/**
 * Of these callers (the credentials open streams were authenticated with), those whose credential
 * is no longer accepted: an API key revoked, an auth token rotated. Two statements, however many.
 */
export async function withdrawnCallers(prisma: PrismaClient, callers: Caller[]): Promise<Caller[]> {
  const keySids = [...new Set(callers.flatMap((caller) => (caller.apiKeySid ? [caller.apiKeySid] : [])))];
  const accountSids = [...new Set(callers.flatMap((caller) => (caller.apiKeySid ? [] : [caller.sid])))];
  const [keys, accounts] = await Promise.all([
    keySids.length ? prisma.apiKey.findMany({ where: { sid: { in: keySids } }, select: { sid: true } }) : [],
    accountSids.length ? prisma.account.findMany({ where: { sid: { in: accountSids } }, select: { sid: true, authTokenHash: true } }) : [],
  ]);
  const liveKeys = new Set(keys.map((key) => key.sid));
  const tokenHashes = new Map(accounts.map((account) => [account.sid, account.authTokenHash]));
  return callers.filter((caller) => (caller.apiKeySid ? !liveKeys.has(caller.apiKeySid) : tokenHashes.get(caller.sid) !== caller.authTokenHash));
}

const withAuthToken = (account: Account): Caller => ({ ...account, readOnly: false, apiKeySid: null });

/**
 * The caller a bearer token belongs to, or null: an account's auth token or an API key's secret.
 * The lookup is by the token's hash, never the token.
 */
export async function callerForBearerToken(prisma: PrismaClient, token: string, cacheMs: number): Promise<Caller | null> {
  const secretHash = hashAuthToken(token);
  const cached = recalled(prisma, secretHash);
  if (cached) return cached.caller;
  const account = await prisma.account.findUnique({ where: { authTokenHash: secretHash } });
  if (account) return remember(prisma, secretHash, withAuthToken(account), cacheMs);
  const key = await prisma.apiKey.findUnique({ where: { secretHash }, include: { account: true } });
  return key && remember(prisma, secretHash, { ...key.account, readOnly: key.readOnly, apiKeySid: key.sid }, cacheMs);
}

/**
 * The caller for HTTP Basic `AccountSid:AuthToken` or `ApiKeySid:Secret` (Twilio's two forms), or
 * null; the hashes are compared in constant time.
 */
export async function callerForBasicCredentials(prisma: PrismaClient, username: string, secret: string, cacheMs: number): Promise<Caller | null> {
  // Only a sid can match: anything else (a NUL the database would refuse, a megabyte) is refused unread.
  if (!/^(AC|SK)[0-9a-f]{32}$/i.test(username)) return null;
  const secretHash = hashAuthToken(secret);
  const cached = recalled(prisma, secretHash);
  if (cached) return cached.username === username ? cached.caller : null;
  const matches = (storedHash: string) => timingSafeEqual(Buffer.from(storedHash, 'hex'), Buffer.from(secretHash, 'hex'));
  if (username.startsWith('SK')) {
    const key = await prisma.apiKey.findUnique({ where: { sid: username }, include: { account: true } });
    return key && matches(key.secretHash) ? remember(prisma, secretHash, { ...key.account, readOnly: key.readOnly, apiKeySid: key.sid }, cacheMs) : null;
  }
  const account = await prisma.account.findUnique({ where: { sid: username } });
  return account && matches(account.authTokenHash) ? remember(prisma, secretHash, withAuthToken(account), cacheMs) : null;
}
