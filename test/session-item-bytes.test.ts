import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import type { PrismaClient } from '../src/store/database.js';
import type { Prisma } from '../src/store/generated/prisma/client.js';
import { ReadBudget } from '../src/store/read-budget.js';
import { migrationsDir } from '../src/store/schema-engine.js';
import { ensureSession } from '../src/store/sessions.js';
import { loadSessionTimelineWindow, type TimelineItem, type TimelineWindow, type WindowRows } from '../src/store/timeline.js';
import { appendOverGraphQL, useTestGateway } from './support/gateway.js';
import { planNodes } from './support/plans.js';
import { largestItemKeptAndSized } from './support/sources-bytes.js';

// A session keeps the size of its largest item (`maxItemBytes`, as the read budget sizes an item
// with every column read, its sources with it). A page whose items are all known to fit what is
// left of the read budget is then read without the running sum that cuts a page short, in the same
// one statement. Here the figure is held to the items' own sizes however they were written, and a
// page read that way to what the same page reads when the figure is not known.

const fixture = useTestGateway();
let account: AccountCredentials;

beforeAll(async () => {
  account = await createAccount(fixture.db.prisma);
  await ensureSession(fixture.db.prisma, account.accountSid, { sessionId: 'sized' });
  await appendOverGraphQL(fixture.gateway, account.authToken, 'sized', [
    { messageId: 'm-1', role: 'ASSISTANT', type: 'CHAT_MESSAGE', text: 'with sources', sources: [
      { key: '1', text: 'Grüße aus Köln, 東京', url: 'https://example.com/a', title: 'A' },
      { key: '2', text: 'x'.repeat(3000) },
    ] },
    { messageId: 'm-2', role: 'USER', type: 'CHAT_MESSAGE', text: 'y'.repeat(2000) },
    { messageId: 't-1', role: 'TOOL', type: 'TOOL_CALL', text: 'called', content: { arguments: 'z'.repeat(500) } },
    ...Array.from({ length: 30 }, (_, n) => ({ messageId: `short-${n}`, role: 'USER', type: 'CHAT_MESSAGE', text: `short ${n}` })),
  ]);
});

async function largestItem(): Promise<number | null> {
  return (await largestItemKeptAndSized(fixture.db.prisma, account.accountSid))[0]!.kept;
}

async function expectKeptAsSized() {
  for (const session of await largestItemKeptAndSized(fixture.db.prisma, account.accountSid)) expect(session.kept).toBe(session.sized);
}

describe('the size of a session’s largest item, kept on its row', () => {
  it('is written by an append: the message citing sources, with them', async () => {
    await expectKeptAsSized();
    // The chat message with 3,000 bytes of sources is larger than the one of 2,000 bytes.
    expect(await largestItem()).toBeGreaterThan(3000 + 3 * 300);
  });

  it('is raised by any statement that inserts or updates items, sources added to a message included', async () => {
    const before = (await largestItem())!;
    // A source added by an operator's own statement to the message of 2,000 bytes: its message grows past the largest.
    await fixture.db.prisma.$executeRaw`
      INSERT INTO timeline_item ("accountSid", "sessionPk", seq, kind, origin, "parentId", "sourceKey", text, "createdAt", "updatedAt")
      SELECT "accountSid", "sessionPk", 1000, 'SOURCE', origin, id, '9', repeat('s', 2500), "createdAt", "updatedAt" FROM timeline_item
      WHERE "accountSid" = ${account.accountSid} AND "messageId" = 'm-2'`;
    await expectKeptAsSized();
    const raised = (await largestItem())!;
    expect(raised).toBeGreaterThan(before);
    await fixture.db.prisma.$executeRaw`UPDATE timeline_item SET text = repeat('w', 9000) WHERE "accountSid" = ${account.accountSid} AND "messageId" = 't-1'`;
    await expectKeptAsSized();
    expect(await largestItem()).toBeGreaterThan(9000);
  });

  it('is given by a migration to the sessions stored before it, as by the trigger', async () => {
    const name = (await readdir(migrationsDir)).find((entry) => entry.endsWith('_session_item_bytes_backfill'))!;
    const script = (await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8')).replace(/^--.*$/gm, '');
    const sized = await largestItem();
    // Not known, as on a store written before the column.
    await fixture.db.prisma.$executeRaw`UPDATE session SET "maxItemBytes" = NULL WHERE "accountSid" = ${account.accountSid}`;
    const { session: empty } = await ensureSession(fixture.db.prisma, account.accountSid, { sessionId: 'empty' });
    await fixture.db.prisma.$executeRaw`UPDATE session SET "maxItemBytes" = NULL WHERE id = ${empty.id}`;
    await fixture.db.prisma.$transaction(async (tx) => {
      for (const statement of script.split(';').filter((text) => text.trim())) await tx.$executeRawUnsafe(statement);
    });
    await expectKeptAsSized();
    const [{ largest }] = await fixture.db.prisma.$queryRaw<[{ largest: number }]>`SELECT "maxItemBytes" AS largest FROM session WHERE id = ${empty.id}`;
    expect(largest).toBe(0);
    expect(await fixture.db.prisma.$queryRaw`SELECT "maxItemBytes" FROM session WHERE "accountSid" = ${account.accountSid} AND "sessionId" = 'sized'`).toEqual([{ maxItemBytes: sized }]);
  });
});

/** A page of session "sized" as a surface reads it (loadSessionTimelineWindow), with the statement that read it. */
async function readPage(window: Omit<TimelineWindow, 'sessionPk'>, budget: ReadBudget) {
  const statements: Prisma.Sql[] = [];
  const recording = Object.create(fixture.db.prisma, {
    $readRows: { value: (query: Prisma.Sql) => (statements.push(query), fixture.db.prisma.$readRows(query)) },
  }) as PrismaClient;
  const { rows } = await loadSessionTimelineWindow(recording, { accountSid: account.accountSid, idOrName: 'sized' }, window, budget);
  expect(statements).toHaveLength(1);
  return { rows, statement: statements[0]! };
}

/** How many times the statement's running sums (window aggregates) ran. */
async function runningSums(statement: Prisma.Sql): Promise<number> {
  const sums = (await planNodes(fixture.db.prisma, statement)).filter((node) => node['Node Type'] === 'WindowAgg');
  expect(sums.length).toBeGreaterThan(0);
  return sums.reduce((loops, node) => loops + Number(node['Actual Loops']), 0);
}

describe('a page of a session looked up', () => {
  const window = { limit: 40, newestFirst: false, filter: {} };

  it('known to fit the budget is read without a running sum, and holds and charges what it does when the figure is not known', async () => {
    const largest = await largestItem();
    const budget = new ReadBudget(1024 * 1024);
    const fitting = await readPage(window, budget);
    expect(await runningSums(fitting.statement)).toBe(0);
    await fixture.db.prisma.$executeRaw`UPDATE session SET "maxItemBytes" = NULL WHERE "accountSid" = ${account.accountSid}`;
    try {
      const unknownBudget = new ReadBudget(1024 * 1024);
      const unknown = await readPage(window, unknownBudget);
      expect(await runningSums(unknown.statement)).toBeGreaterThan(0);
      // Each row is handed on as it came, with what it says it takes when read on a page known to fit.
      const itemsOf = ({ items }: WindowRows) => items.map(({ heldBytes: _, ...item }: TimelineItem & { heldBytes?: unknown }) => item);
      expect(itemsOf(fitting.rows)).toEqual(itemsOf(unknown.rows));
      expect(fitting.rows.sourcesOf).toEqual(unknown.rows.sourcesOf);
      expect([fitting.rows.bytes, fitting.rows.complete]).toEqual([unknown.rows.bytes, unknown.rows.complete]);
      expect(budget.held).toBe(unknownBudget.held);
      const [{ items }] = await fixture.db.prisma.$queryRaw<[{ items: number }]>`SELECT count(*)::int AS items FROM timeline_item WHERE "accountSid" = ${account.accountSid}`;
      expect(fitting.rows.items).toHaveLength(items);
      expect(fitting.rows.complete).toBe(true);
      expect(fitting.rows.bytes).toBe(budget.held);
      expect(budget.held).toBeGreaterThan(largest!);
    } finally {
      await fixture.db.prisma.$executeRaw`UPDATE session SET "maxItemBytes" = ${largest} WHERE "accountSid" = ${account.accountSid}`;
    }
  });

  it('that might not fit is summed as it is read, and cut short where the budget ends', async () => {
    const largest = (await largestItem())!;
    // Room for the page's largest item and a few more, not for forty items of the largest size.
    const budget = new ReadBudget(largest + 3 * 400);
    const { rows, statement } = await readPage(window, budget);
    expect(largest * window.limit).toBeGreaterThan(budget.limit);
    expect(await runningSums(statement)).toBeGreaterThan(0);
    expect(rows.complete).toBe(false);
    expect(rows.items.length).toBe(3);
    expect(budget.held).toBeLessThanOrEqual(budget.limit);
  });
});
