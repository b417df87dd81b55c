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
