import { Prisma, type Assistant, type Session } from './generated/prisma/client.js';
import { GatewayError } from '../errors.js';
import { checkId } from '../models/validation.js';
import type { PrismaClient } from './database.js';
import { inTransaction, type Db } from './transaction.js';

export type { Session };

// Named, not `*`: the statement is prepared, and a column added to the table while it is must not change what it returns.
export const SESSION_COLUMNS = Prisma.raw(Object.values(Prisma.SessionScalarFieldEnum).map((column) => `"${column}"`).join(', '));

/**
 * A session of the account by its id or, failing that, its name; null when the account has neither.
 * An id no session could have (a NUL character, over MAX_ID_LENGTH) is refused as invalid.
 */
export async function findSession(prisma: PrismaClient, accountSid: string, idOrName: string): Promise<Session | null> {
  checkId(idOrName, 'session id');
  const matches = await prisma.$readRows<Session>(Prisma.sql`
    SELECT ${SESSION_COLUMNS} FROM session WHERE "accountSid" = ${accountSid} AND ("sessionId" = ${idOrName} OR name = ${idOrName}) LIMIT 2`);
  return matches.find((session) => session.sessionId === idOrName) ?? matches[0] ?? null;
}

export interface SessionInput {
  sessionId: string;
  name?: string | null;
  assistantId?: string | null;
  identity?: string | null;
  verified?: boolean;
  createdAt?: Date;
}

/**
 * The account's session with this id, created (with its assistant) when it does not exist yet.
 * A name already used by another of the account's sessions is a conflict. Two callers creating one
 * session at once both succeed: the loser's insert is refused, and its retry finds the session.
 */
export function ensureSession(db: Db, accountSid: string, input: SessionInput): Promise<{ session: Session; created: boolean }> {
  checkId(input.sessionId, 'sessionId');
  checkId(input.name, 'name');
  checkId(input.assistantId, 'assistantId');
  checkId(input.identity, 'identity');
  return inTransaction(db, async ({ client: db }) => {
    const existing = await db.session.findUnique({ where: { accountSid_sessionId: { accountSid, sessionId: input.sessionId } } });
    if (existing) return { session: existing, created: false };
    if (input.name && (await db.session.findUnique({ where: { accountSid_name: { accountSid, name: input.name } } }))) {
      throw new GatewayError('conflict', `Another of your sessions is already named "${input.name}"`);
    }
    const assistant = input.assistantId
      ? await db.assistant.upsert({
          where: { accountSid_assistantId: { accountSid, assistantId: input.assistantId } },
          create: { accountSid, assistantId: input.assistantId },
          update: {},
        })
      : null;
    const session = await db.session.create({
      data: {
        accountSid,
        sessionId: input.sessionId,
        name: input.name ?? null,
        assistantPk: assistant?.id ?? null,
        identity: input.identity ?? null,
        verified: input.verified ?? false,
        createdAt: input.createdAt,
        updatedAt: input.createdAt,
      },
    });
    return { session, created: true };
  }, { retryUniqueViolations: true });
}

/** Sessions by id, of the account only. */
export async function loadSessionsById(prisma: PrismaClient, accountSid: string, ids: readonly bigint[]): Promise<(Session | GatewayError)[]> {
  const sessions = await prisma.session.findMany({ where: { accountSid, id: { in: [...ids] } } });
  const byId = new Map(sessions.map((session) => [session.id, session]));
  return ids.map((id) => byId.get(id) ?? new GatewayError('not_found', `No session ${id}`));
}

/** Assistants by id, of the account only. */
export async function loadAssistantsById(prisma: PrismaClient, accountSid: string, ids: readonly bigint[]): Promise<(Assistant | GatewayError)[]> {
  const assistants = await prisma.assistant.findMany({ where: { accountSid, id: { in: [...ids] } } });
  const byId = new Map(assistants.map((assistant) => [assistant.id, assistant]));
  return ids.map((id) => byId.get(id) ?? new GatewayError('not_found', `No assistant ${id}`));
}
