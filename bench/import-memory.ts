import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createAccount } from '../src/store/accounts.js';
import { openDatabase } from '../src/store/database.js';
import { generateTwilioExport } from './generate-twilio-export.js';

/**
 * Imports a generated Twilio export (200 MB by default) with the CLI, into a throwaway PostgreSQL
 * database next to DATABASE_URL, and reports the importer's peak RSS and throughput.
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/import-memory.ts [--megabytes 200]
 */
const { values } = parseArgs({ options: { megabytes: { type: 'string', default: '200' } } });
const base = process.env.DATABASE_URL;
if (!base) {
  console.error('Set DATABASE_URL to a PostgreSQL server: a throwaway database is created next to it.');
  process.exit(2);
}
const name = `cg_bench_import_${process.pid}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const dir = await mkdtemp(path.join(tmpdir(), 'cg-bench-import-'));
try {
  const db = await openDatabase({ url: url.toString() });
  const { accountSid } = await createAccount(db.prisma, 'Bench');
  await db.close();
  const file = path.join(dir, 'export.json');
  const { messages, bytes } = await generateTwilioExport(file, accountSid, Number(values.megabytes));
  console.log(`generated ${(bytes / 1e6).toFixed(1)} MB, ${messages} messages`);

  const started = Date.now();
  const child = spawn(path.resolve(import.meta.dirname, '../bin/conversation-gateway.js'), ['import', '--account', accountSid, '--format', 'twilio', file], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024);
    } catch {
      // exited
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `import exit ${code}: ${seconds.toFixed(1)} s, ${Math.round(messages / seconds)} messages/s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (target < 300 MB)`,
  );
  process.exitCode = code === 0 && peak < 300 * 1e6 ? 0 : 1;
} finally {
  await rm(dir, { recursive: true, force: true });
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
