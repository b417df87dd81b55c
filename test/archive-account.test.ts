import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAccount } from '../src/export/exporter.js';
import { importMessages } from '../src/import/importer.js';
import { createAccount } from '../src/store/accounts.js';
import { findSession } from '../src/store/sessions.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { seededSession } from './support/erasure.js';

// An archive names its account in its header. Imported with --account naming another account, it
// must be refused, as it is when that account does not exist: an archive of one tenant does not
// land in another's by a mistyped sid.

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

async function archiveOf(accountSid: string): Promise<string> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  await exportAccount(db.prisma, output, { accountSid, format: 'archive' });
  output.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('an archive imported under another account', () => {
  it("is refused, and the other account holds none of the archive's sessions", async () => {
    const alice = await createAccount(db.prisma);
    const bob = await createAccount(db.prisma);
    await seededSession(db.prisma, alice.accountSid, 'voice:CAalice', 'private', 4, 'user:alice@example.com');
    const archive = await archiveOf(alice.accountSid);
    expect(JSON.parse(archive.split('\n')[0]!).account.sid).toBe(alice.accountSid);

    const imported = importMessages(db.prisma, Readable.from([archive]), 'alice.jsonl', { accountSid: bob.accountSid, format: 'archive' });
    await expect(imported).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await findSession(db.prisma, bob.accountSid, 'voice:CAalice')).toBeNull();
  });
});
