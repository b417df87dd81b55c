import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

// What the benchmarks share: their servers, each a process of its own on core 0 while the load
// generator (the bench's own process) runs on core 1, and the CPU time those servers and
// PostgreSQL spend per request, read from /proc.

const root = path.resolve(import.meta.dirname, '..');
const cores = os.availableParallelism();
const pin = (core: number) => (cores > 1 ? ['taskset', '-c', String(core)] : []);
const children: ChildProcess[] = [];

/** A server under load: a process of its own, so its CPU time and memory are its own. */
export interface Server {
  url: string;
  child: ChildProcess;
}

/** Moves the load generator (this process) to core 1, off the servers' core. */
export function pinLoadGenerator() {
  if (cores > 1) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
}

/** Starts a server on core 0 and resolves with the URL it prints once `ready` matches its output. */
export function startServer(name: string, command: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Server> {
  const [file, ...args] = [...pin(0), ...command];
  const child = spawn(file!, args, { env: { ...process.env, ...env }, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      // Once started, the server's output (the gateway's request log) is read and dropped: kept and
      // searched, it would cost the load generator's core more with every line and, read slowly,
      // hold back the gateway's log writes.
      output += chunk;
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData).resume();
        child.stderr!.off('data', onData).resume();
        resolve({ url: match[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
}

/** Stops every server started so far. */
export function stopServers() {
  for (const child of children) child.kill('SIGTERM');
}
process.on('exit', stopServers);

/** The fields of /proc/<pid>/stat from field 3 on: the command name (field 2) may hold spaces. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The CPU time (user + system, fields 14 and 15, in clock ticks) a process has used so far, in milliseconds. */
function cpuMilliseconds(pid: number, fields = statFields(pid)): number {
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}
const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The PostgreSQL processes serving one database: the postmaster's children whose process title names it. */
export interface DatabaseBackends {
  postmaster: number;
  databaseName: string;
}

/** The postmaster, as the parent of a backend of ours; undefined when PostgreSQL runs on another machine. */
export async function findPostmaster(databaseUrl: string): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  // Read while the backend is alive: it exits with our connection.
  try {
    return readFileSync(`/proc/${rows[0]!.pid}/comm`, 'utf8').trim() === 'postgres' ? Number(statFields(rows[0]!.pid)[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}

/**
 * The CPU time so far of each PostgreSQL backend serving the bench's database: the postmaster's
 * children whose process title names it, so that other databases' work on a shared server is left out.
 */
function backendCpu({ postmaster, databaseName }: DatabaseBackends): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const fields = statFields(pid);
      if (Number(fields[1]) !== postmaster) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]+/).includes(databaseName)) cpu.set(pid, cpuMilliseconds(pid, fields));
    } catch {
      // The process ended while we looked.
    }
  }
  return cpu;
}

/** PostgreSQL's CPU time between two readings; a backend that ended in between is missed (pools keep theirs open under load). */
function backendCpuSince(backends: DatabaseBackends, before: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of backendCpu(backends)) total += cpu - (before.get(pid) ?? 0);
  return total;
}

export interface Request {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One measured round: req/s and latency from autocannon, and the CPU time the answering server
 * (and, given its backends, PostgreSQL; null without) spent per request, which stays meaningful
 * when other work shares the machine. Contenders run one at a time, so PostgreSQL's CPU in a
 * round is the answering server's doing.
 */
export async function load(request: Request, server: Server, { duration, connections, backends }: { duration: number; connections: number; backends?: DatabaseBackends }) {
  const cpuBefore = cpuMilliseconds(server.child.pid!);
  const pgCpuBefore = backends === undefined ? undefined : backendCpu(backends);
  const result = await autocannon({ ...request, connections, duration, pipelining: 1 });
  const cpu = cpuMilliseconds(server.child.pid!) - cpuBefore;
  const pgCpu = pgCpuBefore === undefined ? null : backendCpuSince(backends!, pgCpuBefore);
  if (result.non2xx || result.errors) throw new Error(`${request.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors under load`);
  const requests = Math.max(result.requests.total, 1);
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuPerRequest: cpu / requests, pgCpuPerRequest: pgCpu === null ? null : pgCpu / requests };
}
export type Figures = Awaited<ReturnType<typeof load>>;

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
