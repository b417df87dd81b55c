import { Prisma } from '../../src/store/generated/prisma/client.js';
import type { PrismaClient } from '../../src/store/database.js';
import { rowBytesSql } from '../../src/store/timeline.js';

/** Each message of the account, in timeline order: its kept figure (`sourcesBytes`), and its sources sized now as the read budget sizes rows. */
export function keptAndSized(prisma: PrismaClient, accountSid: string): Promise<{ messageId: string; kept: number; sized: number }[]> {
  return prisma.$queryRaw(Prisma.sql`
    SELECT m."messageId", m."sourcesBytes" AS kept,
           (SELECT coalesce(sum(${rowBytesSql('s')}), 0)::int FROM timeline_item s WHERE s."parentId" = m.id) AS sized
    FROM timeline_item m WHERE m."accountSid" = ${accountSid} AND m."parentId" IS NULL ORDER BY m.seq`);
}

/** The largest of the items `alias` ranges over (0 for none), each sized as the read budget sizes an item read whole, its sources with it. */
export function largestItemBytesSql(alias: string): Prisma.Sql {
  return Prisma.sql`coalesce(max(${rowBytesSql(alias)} + ${Prisma.raw(`${alias}."sourcesBytes"`)}), 0)`;
}

/** Each session of the account, in row order: the size of its largest item it keeps (`maxItemBytes`), and that size now, as the read budget sizes items. */
export function largestItemKeptAndSized(prisma: PrismaClient, accountSid: string): Promise<{ sessionId: string; kept: number | null; sized: number }[]> {
  return prisma.$queryRaw(Prisma.sql`
    SELECT s."sessionId", s."maxItemBytes" AS kept, (SELECT ${largestItemBytesSql('i')} FROM timeline_item i WHERE i."sessionPk" = s.id) AS sized
    FROM session s WHERE s."accountSid" = ${accountSid} ORDER BY s.id`);
}
