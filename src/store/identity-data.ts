import { Prisma } from './generated/prisma/client.js';

/**
 * What belongs to an identity (a person) in an account: the sessions whose identity it is, whole,
 * and in the account's other sessions the items carrying it, each with its sources. Erasing an
 * identity removes exactly this and exporting one hands out exactly this, so both read it from
 * here. Sources carry no identity: they belong to whoever their message does.
 */

/** Whether a session is the identity's own, taken whole; of any other session only the items carrying the identity are. */
export function isIdentitySession(session: { identity: string | null }, identity: string): boolean {
  return session.identity === identity;
}

/** The condition that the timeline item `alias` carries the identity. */
export function carriesIdentitySql(alias: string, identity: string): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(alias)}.identity = ${identity}`;
}

/** The condition that the timeline item `alias` is one of the account's carrying the identity (through the index on ("accountSid", identity)). */
export function identityItemsSql(alias: string, accountSid: string, identity: string): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(alias)}."accountSid" = ${accountSid} AND ${carriesIdentitySql(alias, identity)}`;
}

/**
 * The condition that the session `alias` holds something of the identity: it is the identity's
 * own, or an item of it carries the identity. The ids of both are found first, each through its
 * index, and the sessions then by id: an OR, or a join the planner may run as a merge, would read
 * past every other session of the account.
 */
export function identitySessionsSql(alias: string, accountSid: string, identity: string): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(alias)}.id = ANY(ARRAY(
    SELECT own.id FROM session own WHERE own."accountSid" = ${accountSid} AND own.identity = ${identity}
    UNION
    SELECT carrying."sessionPk" FROM timeline_item carrying WHERE ${identityItemsSql('carrying', accountSid, identity)}))`;
}
