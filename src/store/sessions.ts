import { Prisma, type Assistant, type Session } from './generated/prisma/client.js';
import { GatewayError } from '../errors.js';
import { checkId } from '../models/validation.js';
import type { PrismaClient } from './database.js';
import { fromJsonValues, jsonValuesSql, type JsonColumnType } from './json-columns.js';
import { builtOnce } from './sql-fragments.js';
import { inTransaction, type Db } from './transaction.js';

export type { Session };

// Named, not `*`: the statement is prepared, and a column added to the table while it is must not change what it returns.
export const SESSION_COLUMNS = Prisma.raw(Object.values(Prisma.SessionScalarFieldEnum).map((column) => `"${column}"`).join(', '));

/**
 * Which of the account's sessions an id or name finds, as the tail of a statement selecting from
 * `session` under `alias`: the session with that id or, failing that, the one with that name (an
 * id may be another session's name). An id no session could have (a NUL character, over
 * MAX_ID_LENGTH) is refused as invalid.
 */
export function sessionMatchSql(alias: string, accountSid: string, idOrName: string): Prisma.Sql {
  checkId(idOrName, 'session id');
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  return Prisma.sql`${column('accountSid')} = ${accountSid} AND (${column('sessionId')} = ${idOrName} OR ${column('name')} = ${idOrName})
    ORDER BY ${column('sessionId')} = ${idOrName} DESC LIMIT 1`;
}

/** A session of the account by its id or, failing that, its name (sessionMatchSql); null when the account has neither. */
export async function findSession(prisma: PrismaClient, accountSid: string, idOrName: string): Promise<Session | null> {
  const [session] = await prisma.$readRows<Session>(Prisma.sql`SELECT ${SESSION_COLUMNS} FROM session WHERE ${sessionMatchSql('session', accountSid, idOrName)}`);
  return session ?? null;
}

/** A session as a page statement finds it by id or name: with its assistant's id ("aia_asst_…"), null when it has none. */
export type FoundSession = Session & { assistantId: string | null };

/** How each column of a session comes back inside another statement's answer, as JSON (json-columns.ts). */
const SESSION_JSON_TYPES = Object.entries({
  id: 'bigint',
  accountSid: 'value',
  sessionId: 'value',
  name: 'value',
  assistantPk: 'bigint',
  identity: 'value',
  verified: 'value',
  lastSeq: 'value',
  createdAt: 'date',
  updatedAt: 'date',
  itemCount: 'value',
  messageCount: 'value',
  toolCallCount: 'value',
  knowledgeCallCount: 'value',
  sourceCount: 'value',
  firstMessageAt: 'date',
  lastMessageAt: 'date',
  confidenceSum: 'value',
  confidenceCount: 'value',
  maxItemBytes: 'value',
} satisfies { [Column in keyof Session]: JsonColumnType });

/**
 * A statement's expression for the session `alias` and its assistant's id `assistantId` as one
 * JSON value: what a statement that answers rows of another shape (a page) returns the session in.
 */
export const foundSessionJsonSql = builtOnce((alias: string, assistantId: string) => jsonValuesSql(alias, SESSION_JSON_TYPES, { extra: [assistantId] }));

/** The session foundSessionJsonSql's value holds (parsed). */
export function foundSessionFromJson(values: readonly unknown[]): FoundSession {
  return foundSessionOf(values) as FoundSession;
}

const foundSessionOf = fromJsonValues([...SESSION_JSON_TYPES, ['assistantId', 'value']]);

export interface SessionInput {
  sessionId: string;
  name?: string | null;
  assistantId?: string | null;
  identity?: string | null;
  verified?: boolean;
  createdAt?: Date;
  /** When it was last changed, for a session restored from an archive; its creation otherwise. */
  updatedAt?: Date;
}

/**
 * The account's session with this id, created (with its assistant) when it does not exist yet.
 * A name already used by another of the account's sessions is a conflict. Two callers creating one
 * session at once both succeed: the second waits for the first's transaction to end, then finds
 * its session (an import holds it for the whole file); a racing insert of the same name is
 * refused, and its retry finds the conflict.
 */
export function ensureSession(db: Db, accountSid: string, input: SessionInput): Promise<{ session: Session; created: boolean }> {
  checkId(input.sessionId, 'sessionId');
  checkId(input.name, 'name');
  checkId(input.assistantId, 'assistantId');
  checkId(input.identity, 'identity');
  return inTransaction(db, async ({ client: db }) => {
    const find = () => db.session.findUnique({ where: { accountSid_sessionId: { accountSid, sessionId: input.sessionId } } });
    const existing = await find();
    if (existing) return { session: existing, created: false };
    // Creators of one session queue here until the transaction ahead ends; the next then finds its session.
    await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${accountSid}), hashtext(${input.sessionId}))`;
    const createdMeanwhile = await find();
    if (createdMeanwhile) return { session: createdMeanwhile, created: false };
    if (input.name && (await db.session.findUnique({ where: { accountSid_name: { accountSid, name: input.name } } }))) {
      throw new GatewayError('conflict', `Another of your sessions is already named "${input.name}"`);
    }
    const assistantPk = input.assistantId ? await ensureAssistant(db, accountSid, input.assistantId) : null;
    const session = await db.session.create({
      data: {
        accountSid,
        sessionId: input.sessionId,
        name: input.name ?? null,
        assistantPk,
        identity: input.identity ?? null,
        verified: input.verified ?? false,
        createdAt: input.createdAt,
        updatedAt: input.updatedAt ?? input.createdAt,
      },
    });
    return { session, created: true };
  }, { retryUniqueViolations: true });
}

/**
 * The row id of the account's assistant, created if need be. One statement rather than Prisma's
 * upsert (a lookup, then an insert): a writer racing another that creates the same assistant in a
 * transaction not yet committed waits for it and takes its row, where the insert would fail.
 */
async function ensureAssistant(db: Prisma.TransactionClient, accountSid: string, assistantId: string): Promise<bigint> {
  const [inserted] = await db.$queryRaw<{ id: bigint }[]>`
    INSERT INTO assistant ("accountSid", "assistantId") VALUES (${accountSid}, ${assistantId})
    ON CONFLICT ("accountSid", "assistantId") DO NOTHING RETURNING id`;
  if (inserted) return inserted.id;
  const [stored] = await db.$queryRaw<{ id: bigint }[]>`SELECT id FROM assistant WHERE "accountSid" = ${accountSid} AND "assistantId" = ${assistantId}`;
  return stored!.id;
}

/**
 * Sessions by id, of the account only: a fixed-shape statement on the row reader, as a search
 * page's 50 hits or a page of nodes ask for 50 sessions at once (Prisma's runtime costs CPU per row).
 */
export async function loadSessionsById(prisma: PrismaClient, accountSid: string, ids: readonly bigint[]): Promise<(Session | GatewayError)[]> {
  const sessions = await prisma.$readRows<Session>(Prisma.sql`
    SELECT ${SESSION_COLUMNS} FROM session WHERE id = ANY(${[...ids]}::bigint[]) AND "accountSid" = ${accountSid}`);
  const byId = new Map(sessions.map((session) => [session.id, session]));
  return ids.map((id) => byId.get(id) ?? new GatewayError('not_found', `No session ${id}`));
}

/** Which of these sessions (row ids) still exist. */
export async function existingSessions(prisma: PrismaClient, sessionPks: readonly bigint[]): Promise<bigint[]> {
  const rows = await prisma.$queryRaw<{ id: bigint }[]>`SELECT id FROM session WHERE id = ANY(${sessionPks.map(String)}::bigint[])`;
  return rows.map((row) => row.id);
}

/** Assistants by id, of the account only. */
export async function loadAssistantsById(prisma: PrismaClient, accountSid: string, ids: readonly bigint[]): Promise<(Assistant | GatewayError)[]> {
  const assistants = await prisma.assistant.findMany({ where: { accountSid, id: { in: [...ids] } } });
  const byId = new Map(assistants.map((assistant) => [assistant.id, assistant]));
  return ids.map((id) => byId.get(id) ?? new GatewayError('not_found', `No assistant ${id}`));
}

/** The assistant id ("aia_asst_…") of each session, null where it has none: one read for them all, none when no session has one. */
export async function loadAssistantIdsOf(prisma: PrismaClient, accountSid: string, sessions: readonly Session[]): Promise<(string | null)[]> {
  const pks = [...new Set(sessions.flatMap((session) => (session.assistantPk === null ? [] : [session.assistantPk])))];
  const assistants = pks.length ? await loadAssistantsById(prisma, accountSid, pks) : [];
  const idOf = new Map(pks.map((pk, n) => [pk, assistants[n]]));
  return sessions.map((session) => {
    const assistant = session.assistantPk === null ? undefined : idOf.get(session.assistantPk);
    return assistant === undefined || assistant instanceof GatewayError ? null : assistant.assistantId;
  });
}
