import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/store/accounts.js';
import type { PrismaClient } from '../src/store/database.js';
import { runCli } from './support/cli.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { seededSession, whereStored } from './support/erasure.js';

// `conversation-gateway erase`, run as an operator runs it. The embedded database belongs to one
// process at a time, so on PGlite the test opens it only between commands.

let dataDir: string;
let postgres: TestDatabase | undefined;
let env: NodeJS.ProcessEnv;
let accountSid: string;

async function inDatabase<T>(work: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  if (postgres) return work(postgres.prisma);
  const db = await openTestDatabase(dataDir);
  try {
    return await work(db.prisma);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cg-erase-'));
  const { DATABASE_URL: _url, ...rest } = process.env;
  if (process.env.DATABASE_URL) {
    postgres = await openTestDatabase();
    env = { ...rest, DATABASE_URL: postgres.url };
  } else {
    env = { ...rest, DATA_DIR: dataDir };
  }
  accountSid = await inDatabase(async (prisma) => {
    const { accountSid } = await createAccount(prisma);
    await seededSession(prisma, accountSid, 'cli-doomed', 'xylophone', 10, 'user:kept');
    await seededSession(prisma, accountSid, 'cli-person', 'vermilion', 7, 'user:cli');
    return accountSid;
  });
});

afterAll(async () => {
  await postgres?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const erase = (...args: string[]) => runCli(['erase', ...args], env);

describe('conversation-gateway erase', () => {
  it('--dry-run says what would go and deletes nothing', async () => {
    const result = await erase('--account', accountSid, '--session', 'cli-doomed-name', '--dry-run');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'Dry run: nothing was deleted. Erasing would delete 1 session, 7 messages, 3 sources.\nSessions that would be deleted:\n  session "cli-doomed"\n',
    );
    expect(await inDatabase(async (prisma) => [await prisma.timelineItem.count({ where: { accountSid } }), await prisma.erasure.count()])).toEqual([17, 0]);
  });

  it('--session deletes the session with all its items, and records it as the command line', async () => {
    const result = await erase('--account', accountSid, '--session', 'cli-doomed');
    expect(result).toMatchObject({ code: 0, stdout: 'Erased: 1 session, 7 messages, 3 sources deleted.\nSessions deleted:\n  session "cli-doomed"\n' });
    const [found, records] = await inDatabase(async (prisma) => [
      [...(await whereStored(prisma, 'cli-doomed')), ...(await whereStored(prisma, 'xylophone'))],
      await prisma.erasure.findMany({ select: { credential: true, kind: true, sessions: true, messages: true, sources: true } }),
    ]);
    expect(found).toEqual([]);
    expect(records).toEqual([{ credential: 'command-line', kind: 'SESSION', sessions: 1, messages: 7, sources: 3 }]);
  });

  it('--identity --json erases the person and prints the counts', async () => {
    const result = await erase('--account', accountSid, '--identity', 'user:cli', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ dryRun: false, sessions: 1, messages: 4, sources: 3, sessionIds: ['cli-person'] });
    expect(await inDatabase((prisma) => whereStored(prisma, 'user:cli'))).toEqual([]);
  });

  it.each([
    ['no account', 2, ['--session', 'x'], /Which account\? Pass --account AC…/],
    ['neither --session nor --identity', 2, ['--account', 'ACx'], /Pass --session ID .* or --identity ID/],
    ['both', 2, ['--account', 'ACx', '--session', 'a', '--identity', 'b'], /not both/],
    ['an unknown option', 2, ['--account', 'ACx', '--everything'], /Unknown option --everything for "erase"/],
    ['an unknown account', 1, ['--account', 'AC00000000000000000000000000000000', '--identity', 'user:cli'], /No account AC0{32}/],
  ])('refuses %s (exit %i), naming what to do', async (_case, code, args, message) => {
    const result = await erase(...args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('an unknown session is exit 1 and erases nothing', async () => {
    const result = await erase('--account', accountSid, '--session', 'never-was');
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`conversation-gateway: Account ${accountSid} has no session "never-was"; nothing was erased\n`);
  });

  it('--help documents the command', async () => {
    const result = await erase('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: conversation-gateway erase --account AC… \(--session ID \| --identity ID\) \[--dry-run\]/);
  });
});
