import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createAccount } from '../src/store/accounts.js';
import { openDatabase } from '../src/store/database.js';
import { createDataset } from './dataset.js';

/**
 * Exports an account of 1,000,000 messages (1,000 sessions of 1,000, with their sources) with the
 * CLI, from a throwaway PostgreSQL database next to DATABASE_URL, sampling the exporter's RSS as
 * it goes: memory must stay flat however far the export has got. With --import, the archive is
 * then imported into a second throwaway database, for messages/s of both directions in one run.
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/export.ts [--sessions 1000] [--messages 1000] [--format archive] [--import]
 */
const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '1000' },
    format: { type: 'string', default: 'archive' },
    import: { type: 'boolean', default: false },
  },
});
const base = process.env.DATABASE_URL;
if (!base) {
  console.error('Set DATABASE_URL to a PostgreSQL server: throwaway databases are created next to it.');
  process.exit(2);
}
const bin = path.resolve(import.meta.dirname, '../bin/conversation-gateway.js');
const admin = new pg.Client({ connectionString: base });
await admin.connect();
const databases: string[] = [];

async function throwawayDatabase(purpose: string): Promise<string> {
  const name = `cg_bench_${purpose}_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  databases.push(name);
  const url = new URL(base!);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Runs the CLI, sampling its resident memory every 100 ms (the samples show whether it stays flat)
 * and the CPU time it has spent (user + system, last read just before it exits): on a busy machine
 * messages per CPU second mean something where messages per second do not.
 */
async function runSampled(args: string[], url: string): Promise<{ code: number | null; seconds: number; cpuSeconds: number; rss: number[]; peak: number }> {
  const started = Date.now();
  const child = spawn(bin, args, { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'inherit'] });
  const rss: number[] = [];
  let peak = 0;
  let cpuSeconds = 0;
  const sampler = setInterval(() => {
    try {
      const [utime, stime] = readFileSync(`/proc/${child.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ').slice(11, 13).map(Number);
      cpuSeconds = (utime! + stime!) / 100;
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      rss.push(Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024);
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024);
    } catch {
      // exited
    }
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  return { code, seconds: (Date.now() - started) / 1000, cpuSeconds, rss, peak };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The highest RSS in each tenth of the run: flat memory reads the same from the second tenth on. */
function rssByTenth(rss: number[]): string {
  const tenths = Array.from({ length: 10 }, (_, n) => Math.max(0, ...rss.slice(Math.floor((n * rss.length) / 10), Math.floor(((n + 1) * rss.length) / 10))));
  return tenths.map((bytes) => (bytes / 2 ** 20).toFixed(0)).join(' ');
}

const dir = await mkdtemp(path.join(tmpdir(), 'cg-bench-export-'));
try {
  console.log(`load average at start: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`);
  const source = await throwawayDatabase('export');
  const db = await openDatabase({ url: source });
  const { accountSid } = await createAccount(db.prisma, 'Bench');
  await createDataset(db.prisma, accountSid, { sessions: Number(values.sessions), messagesPerSession: Number(values.messages), longSessionMessages: 0 });
  const [{ messages, sources }] = await db.prisma.$queryRaw<[{ messages: number; sources: number }]>`
    SELECT count(*) FILTER (WHERE kind <> 'SOURCE')::int AS messages, count(*) FILTER (WHERE kind = 'SOURCE')::int AS sources FROM timeline_item`;
  await db.close();
  console.log(`dataset: ${messages.toLocaleString('en-US')} messages and ${sources.toLocaleString('en-US')} sources`);

  const file = path.join(dir, `export.${values.format}.jsonl`);
  const exported = await runSampled(['export', '--account', accountSid, '--format', values.format!, file], source);
  const { size } = await stat(file);
  console.log(
    `export exit ${exported.code}: ${(size / 1e6).toFixed(1)} MB in ${exported.seconds.toFixed(1)} s, ${Math.round(messages / exported.seconds).toLocaleString('en-US')} messages/s, ` +
      `CPU ${exported.cpuSeconds.toFixed(1)} s (${Math.round(messages / exported.cpuSeconds).toLocaleString('en-US')} messages per CPU second), ` +
      `peak RSS ${mib(exported.peak)}; highest RSS in each tenth of the run (MiB): ${rssByTenth(exported.rss)}`,
  );
  let failed = exported.code !== 0;
  if (values.import && values.format === 'archive') {
    const target = await throwawayDatabase('import');
    const imported = await runSampled(['import', '--account', accountSid, '--format', 'archive', file], target);
    console.log(
      `import exit ${imported.code}: ${imported.seconds.toFixed(1)} s, ${Math.round(messages / imported.seconds).toLocaleString('en-US')} messages/s, ` +
        `CPU ${imported.cpuSeconds.toFixed(1)} s (${Math.round(messages / imported.cpuSeconds).toLocaleString('en-US')} messages per CPU second), peak RSS ${mib(imported.peak)}`,
    );
    failed ||= imported.code !== 0;
  }
  console.log(`load average at end: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`);
  process.exitCode = failed ? 1 : 0;
} finally {
  await rm(dir, { recursive: true, force: true });
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
