import type { ErasureKind } from './generated/prisma/client.js';
import type { PrismaClient } from './database.js';
import type { Caller } from './accounts.js';
import { identityItemsSql, identitySessionsSql, isIdentitySession } from './identity-data.js';
import { recomputeSummaries } from './session-summary.js';
import { inTransaction, type Transaction } from './transaction.js';
import { GatewayError } from '../errors.js';
import { checkId } from '../models/validation.js';
import type { SessionDeleted } from '../live/message-events.js';

/**
 * Erasure: sessions, or a person's items, taken out of every table for good. A session's items,
 * their sources, and its summary (columns of its own row) go with its row; the full-text index is
 * an index on the items' own columns, so it keeps no entry of a deleted row. Each erasure leaves a
 * record (table `erasure`) of when, by which credential and how much, naming nothing it erased: a
 * record holding a session id or an identity would keep what it says is gone.
 */

/** What an erasure took away. */
export interface ErasureCounts {
  /** Sessions deleted whole. */
  sessions: number;
  /** Timeline items other than sources: chat messages, tool calls, knowledge calls. */
  messages: number;
  sources: number;
}

export interface Erased extends ErasureCounts {
  /** The sessions deleted whole: row ids and their own ids ("voice:CA…"), in row order; for the caller to show, never stored. */
  deletedSessions: { pk: bigint; sessionId: string }[];
}

export interface ErasureOptions {
  /** Who asked, for the erasure record: see `credentialOf`; "command-line" for an operator. Never a secret. */
  credential: string;
  /**
   * Where "session deleted" is announced once the erasure has committed, so the sessions' open
   * streams end on every gateway process (the gateway's, or a command's, message events). Without
   * it nobody is told.
   */
  events?: { published(event: SessionDeleted): void };
  /** Count what would go and change nothing: the same statements, rolled back. Nothing is recorded or announced. */
  dryRun?: boolean;
}

/** How an erasure record names the credential a caller used: the API key's sid, or "auth-token". */
export function credentialOf(caller: Pick<Caller, 'apiKeySid'>): string {
  return caller.apiKeySid ?? 'auth-token';
}

/**
 * Deletes these sessions of the account (by row id) with every item and source of theirs, in one
 * transaction that also records the erasure (as SESSION), and, after it commits, announces each deletion. An account that does not exist is
 * `not_found`. Ids the account does not have (another account's, or already deleted) are passed
 * over: the counts say what was deleted. An append to one of the sessions waits for the erasure and
 * is then refused as not found (appends take the same row lock), so none brings back half a
 * session. Batches of a few thousand sessions are fine: the statements take the ids as one array.
 */
export function deleteSessions(
  prisma: PrismaClient,
  accountSid: string,
  sessionPks: readonly bigint[],
  options: ErasureOptions,
): Promise<Erased> {
  return erase(prisma, accountSid, options, 'SESSION', async (transaction) => {
    const sessions = await lockSessions(transaction, accountSid, sessionPks);
    return deleteLockedSessions(transaction, sessions);
  });
}

/**
 * Deletes up to `limit` of the account's sessions whose last activity (their last message; their
 * creation while they have none) is more than `retentionDays` ago, oldest first, as deleteSessions
 * does, recorded as RETENTION. The deleting transaction chooses and locks them in one statement,
 * passing over a session another transaction holds (an append or an import under way, which may
 * give it a new last message): no session is deleted on an age read before its lock, and a sweep
 * waits for nobody. What it passes over, the next sweep looks at again.
 */
export function deleteExpiredSessions(prisma: PrismaClient, accountSid: string, retentionDays: number, limit: number, options: ErasureOptions): Promise<Erased> {
  return erase(prisma, accountSid, options, 'RETENTION', async (transaction) => {
    const sessions = await transaction.client.$queryRaw<LockedSession[]>`
      SELECT id, "sessionId" FROM session
      WHERE "accountSid" = ${accountSid} AND COALESCE("lastMessageAt", "createdAt") < now() - make_interval(days => ${retentionDays}::int)
      ORDER BY COALESCE("lastMessageAt", "createdAt"), id LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED`;
    return deleteLockedSessions(transaction, sessions);
  });
}

/**
 * Erases a person from the account: every session whose identity it is, and every item carrying it
 * (with the item's sources) in the account's other sessions, whose summaries are counted again from
 * what remains. What that is, identity-data.ts says, for an export of the identity too. One
 * transaction, recorded as IDENTITY. What an append commits after the erasure is new, and stays.
 */
export function eraseIdentity(prisma: PrismaClient, accountSid: string, identity: string, options: ErasureOptions): Promise<Erased> {
  checkId(identity, 'identity');
  return erase(prisma, accountSid, options, 'IDENTITY', async (transaction) => {
    const { client: tx } = transaction;
    // Locked in row order before anything is deleted, as appends lock: the person's own sessions and those holding their items.
    // Found by id alone, ids of the account's rows: a condition on the account too would let the planner read every session of it.
    const locked = await tx.$queryRaw<(LockedSession & { identity: string | null })[]>`
      SELECT id, "sessionId", identity FROM session WHERE ${identitySessionsSql('session', accountSid, identity)}
      ORDER BY id FOR UPDATE`;
    const erased = await deleteLockedSessions(transaction, locked.filter((session) => isIdentitySession(session, identity)));
    const touched = await tx.$queryRaw<{ sessionPk: bigint; messages: number; sources: number }[]>`
      WITH carrying AS (SELECT id FROM timeline_item WHERE ${identityItemsSql('timeline_item', accountSid, identity)}),
           sources AS (DELETE FROM timeline_item WHERE "parentId" IN (SELECT id FROM carrying) RETURNING "sessionPk"),
           messages AS (DELETE FROM timeline_item WHERE id IN (SELECT id FROM carrying) RETURNING "sessionPk")
      SELECT "sessionPk", sum(m)::int AS messages, sum(s)::int AS sources
      FROM (SELECT "sessionPk", 1 AS m, 0 AS s FROM messages UNION ALL SELECT "sessionPk", 0, 1 FROM sources) AS gone
      GROUP BY "sessionPk"`;
    const touchedPks = touched.map((row) => row.sessionPk);
    // A session that took such an item after the first lock (an append racing the erasure) is locked now, before its summary is counted.
    const lockedPks = new Set(locked.map((session) => session.id));
    await lockSessions(transaction, accountSid, touchedPks.filter((pk) => !lockedPks.has(pk)));
    await recomputeSummaries(transaction, touchedPks);
    for (const row of touched) {
      erased.messages += row.messages;
      erased.sources += row.sources;
    }
    return erased;
  });
}

interface LockedSession {
  id: bigint;
  sessionId: string;
}

/** Takes the row locks appends take, in row order (as every locker does, so two erasures do not deadlock). */
function lockSessions({ client: tx }: Transaction, accountSid: string, sessionPks: readonly bigint[]): Promise<LockedSession[]> {
  if (!sessionPks.length) return Promise.resolve([]);
  return tx.$queryRaw<LockedSession[]>`
    SELECT id, "sessionId" FROM session WHERE "accountSid" = ${accountSid} AND id = ANY(${sessionPks.map(String)}::bigint[])
    ORDER BY id FOR UPDATE`;
}

async function deleteLockedSessions({ client: tx }: Transaction, sessions: readonly LockedSession[]): Promise<Erased> {
  if (!sessions.length) return { sessions: 0, messages: 0, sources: 0, deletedSessions: [] };
  const pks = sessions.map((session) => String(session.id));
  // Items first, counted as they go; the session rows, summaries and all, after them.
  const [items] = await tx.$queryRaw<[{ messages: number; sources: number }]>`
    WITH gone AS (DELETE FROM timeline_item WHERE "sessionPk" = ANY(${pks}::bigint[]) RETURNING kind)
    SELECT (count(*) FILTER (WHERE kind <> 'SOURCE'))::int AS messages, (count(*) FILTER (WHERE kind = 'SOURCE'))::int AS sources FROM gone`;
  await tx.$executeRaw`DELETE FROM session WHERE id = ANY(${pks}::bigint[])`;
  const deletedSessions = sessions.map((session) => ({ pk: session.id, sessionId: session.sessionId }));
  return { sessions: sessions.length, messages: items.messages, sources: items.sources, deletedSessions };
}

/** Thrown to roll a dry run back, carrying what it counted. */
class DryRun {
  constructor(readonly erased: Erased) {}
}

async function erase(
  prisma: PrismaClient,
  accountSid: string,
  options: ErasureOptions,
  kind: ErasureKind,
  work: (transaction: Transaction) => Promise<Erased>,
): Promise<Erased> {
  let erased: Erased;
  try {
    erased = await inTransaction(prisma, async (transaction) => {
      const [account] = await transaction.client.$queryRaw<unknown[]>`SELECT 1 FROM account WHERE sid = ${accountSid}`;
      if (!account) throw new GatewayError('not_found', `No account ${accountSid}; "conversation-gateway account list" shows the accounts`);
      const erased = await work(transaction);
      // A sweep's batch that found nothing expired is no erasure: sweeps run every hour whether or not anything expired.
      if (kind === 'RETENTION' && !erased.sessions) return erased;
      await transaction.client.erasure.create({
        data: { accountSid, credential: options.credential, kind, sessions: erased.sessions, messages: erased.messages, sources: erased.sources },
      });
      if (options.dryRun) throw new DryRun(erased);
      return erased;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.erased;
    throw error;
  }
  for (const { pk } of erased.deletedSessions) options.events?.published({ accountSid, sessionPk: String(pk), deleted: true });
  return erased;
}
