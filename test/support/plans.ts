import type { PrismaClient } from '../../src/store/database.js';
import type { Prisma } from '../../src/store/generated/prisma/client.js';

export type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };

/** Rolls back the EXPLAIN ANALYZE of a statement that writes. */
class Explained {
  constructor(readonly plan: unknown) {}
}

/**
 * Every node of the plan of `statement`, as EXPLAIN ANALYZE ran it with sequential scans off (a
 * table this small is read whole whatever the indexes; the plan is asked as a large one would get
 * it), in a transaction that is rolled back, so a statement that deletes changes nothing.
 */
export async function planNodes(prisma: PrismaClient, statement: Prisma.Sql): Promise<PlanNode[]> {
  let plan: unknown;
  try {
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      const [row] = await tx.$queryRawUnsafe<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, ...statement.values);
      throw new Explained(row!['QUERY PLAN']);
    });
  } catch (error) {
    if (!(error instanceof Explained)) throw error;
    plan = error.plan;
  }
  const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
  const [{ Plan: root }] = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan: PlanNode }];
  return nodes(root);
}

/** The rows of `table` that the plan of `statement` reads (planNodes), index recheck and filter included, over every loop. */
export async function rowsRead(prisma: PrismaClient, statement: Prisma.Sql, table: string): Promise<number> {
  return (await planNodes(prisma, statement))
    .filter((node) => node['Relation Name'] === table && String(node['Node Type']).endsWith('Scan'))
    .reduce(
      (sum, node) =>
        sum +
        Number(node['Actual Loops'] ?? 1) *
          (Number(node['Actual Rows']) + Number(node['Rows Removed by Filter'] ?? 0) + Number(node['Rows Removed by Index Recheck'] ?? 0)),
      0,
    );
}
