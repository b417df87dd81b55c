import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createAccount, type AccountCredentials } from '../../src/store/accounts.js';
import { openDatabase } from '../../src/store/database.js';
import { openTestDatabase, type TestDatabase } from './database.js';

const bin = path.resolve(import.meta.dirname, '../../bin/conversation-gateway.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The process's peak resident memory (VmHWM), in bytes. */
  peakRss: number;
}

/** Runs the CLI to completion, as a user would from a shell (through its shebang, heap budget included). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakRss = 0;
    // VmHWM is gone with the process, so it is read while the process runs.
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, processMemory(child.pid, 'VmHWM'))), 20);
    if (stdin !== undefined) child.stdin!.end(stdin);
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      resolve({ code, stdout, stderr, peakRss });
    });
  });
}

/** A process's resident memory now (VmRSS) or at its peak so far (VmHWM), in bytes; 0 once it has exited. */
export function processMemory(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  } catch {
    return 0;
  }
}

export interface ServingCli {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `serve` (with `args`) and waits for the line that says where it listens. */
export function startCli(env: NodeJS.ProcessEnv, args: string[] = []): Promise<ServingCli> {
  return new Promise((resolve, reject) => {
    // Rate-limit counters of its own: test runs sharing one Redis must not count each other's requests.
    const child = spawn(bin, ['serve', ...args], { env: { PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_REDIS_PREFIX: `test:${randomUUID()}`, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        setTimeout(() =>
          resolve({
            child,
            url: match[1]!,
            output: () => output,
            stop: () =>
              new Promise((done) => {
                if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
                child.once('close', (code) => done(code));
                child.kill('SIGTERM');
              }),
          }),
        200);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}

export interface CliDatabase {
  /** A scratch directory for the test's files, removed afterwards. */
  dir: string;
  /** The environment that points the CLI at the database. */
  env: NodeJS.ProcessEnv;
  /** An account created in it before the tests. */
  account: AccountCredentials;
  /** Sessions and timeline items stored, read with the CLI's own settings (call it once the CLI has exited). */
  stored(): Promise<{ sessions: number; items: number }>;
}

/**
 * A database for CLI processes of the test's own: a throwaway PostgreSQL database when DATABASE_URL
 * is set, otherwise an embedded one in a scratch directory that the CLI opens itself (so the test
 * holds it open only while it creates the account, embedded databases allowing one process).
 */
export function useCliDatabase(prefix: string): CliDatabase {
  const fixture = {
    async stored() {
      const db = await openDatabase({ url: fixture.env.DATABASE_URL, dataDir: fixture.env.DATA_DIR });
      try {
        return { sessions: await db.prisma.session.count(), items: await db.prisma.timelineItem.count() };
      } finally {
        await db.close();
      }
    },
  } as CliDatabase;
  let postgres: TestDatabase | undefined;
  beforeAll(async () => {
    fixture.dir = await mkdtemp(path.join(tmpdir(), `cg-${prefix}-`));
    const dataDir = path.join(fixture.dir, 'data');
    const db = await openTestDatabase(process.env.DATABASE_URL ? undefined : dataDir);
    fixture.account = await createAccount(db.prisma);
    if (db.url) postgres = db;
    else await db.close();
    const { DATABASE_URL: _unused, ...rest } = process.env;
    fixture.env = db.url ? { ...rest, DATABASE_URL: db.url } : { ...rest, DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await postgres?.close();
    await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

/** The JSON log lines (LOG_FORMAT=json) a serving CLI has written with this message, parsed, in order. */
export function loggedLines(gateway: ServingCli, message: string): Record<string, any>[] {
  return gateway
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>)
    .filter((line) => line.msg === message);
}

/** Waits (polling every 100 ms) until `condition` holds; throws, saying `what` was awaited, after `withinMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Still waiting for ${what} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
