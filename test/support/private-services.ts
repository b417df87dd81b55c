import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL or Redis of a test's own, on a free port in a temporary directory, that the test
 * may stop, freeze (SIGSTOP, as a hung host looks from outside) and bring back. The shared
 * services of the machine are never touched.
 */
export interface PrivateService {
  url: string;
  /** Stops the server (a fast shutdown: clients see their connections end). */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  start(): Promise<void>;
  /** Suspends the server and all its processes: connections stay open and nothing answers. */
  freeze(): void;
  thaw(): void;
  /** Stops it for good and removes its files. */
  close(): Promise<void>;
}

/** The newest PostgreSQL installation's bin directory, when the machine has one. */
function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest && path.join(root, newest, 'bin');
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Why private services cannot run here, or undefined when they can (fault tests skip with this reason). */
export const privatePostgresMissing = postgresBin() ? undefined : 'no PostgreSQL installation under /usr/lib/postgresql (apt-get install postgresql)';
export const privateRedisMissing = onPath('redis-server') ? undefined : 'no redis-server on PATH (apt-get install redis-server)';

/** A port nothing listens on (taken from the system, then let go). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** PostgreSQL refuses to run as root: as root, its processes run as the `postgres` user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A process and every process below it, for SIGSTOP/SIGCONT. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 4th field, after a parenthesised command name that may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function signalTree(pid: number, signal: NodeJS.Signals): void {
  for (const each of processTree(pid)) {
    try {
      process.kill(each, signal);
    } catch {
      // exited meanwhile
    }
  }
}

/** Spawns a server and waits for the line saying it accepts connections. */
function launch(command: string, args: string[], ready: RegExp, options: { uid?: number; gid?: number } = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not start in time:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data').resume();
        child.stderr!.removeAllListeners('data').resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output}`));
    });
  });
}

function exited(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function privateService(url: string, run: () => Promise<ChildProcess>, stopSignal: NodeJS.Signals, directory: string): PrivateService & { start(): Promise<void> } {
  let server: ChildProcess | undefined;
  let frozen = false;
  const service = {
    url,
    async start() {
      server = await run();
    },
    async stop() {
      if (!server) return;
      if (frozen) service.thaw();
      const stopping = exited(server);
      server.kill(stopSignal);
      await stopping;
      server = undefined;
    },
    freeze() {
      signalTree(server!.pid!, 'SIGSTOP');
      frozen = true;
    },
    thaw() {
      signalTree(server!.pid!, 'SIGCONT');
      frozen = false;
    },
    async close() {
      await service.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
  return service;
}

/** A PostgreSQL of its own: a fresh cluster (trust authentication, user postgres) with a `test` database. */
export async function startPrivatePostgres(): Promise<PrivateService> {
  const bin = postgresBin();
  if (!bin) throw new Error(privatePostgresMissing);
  const user = postgresUser();
  const directory = mkdtempSync(path.join(tmpdir(), 'cg-postgres-'));
  if (user) chownSync(directory, user.uid, user.gid);
  const data = path.join(directory, 'data');
  const init = spawnSync(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], { ...user, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
  const port = await freePort();
  const service = privateService(
    `postgresql://postgres@127.0.0.1:${port}/postgres`,
    () =>
      launch(
        path.join(bin, 'postgres'),
        ['-D', data, '-p', String(port), '-k', directory, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'logging_collector=off'],
        /ready to accept connections/,
        user,
      ),
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended, as when an operator stops it.
    'SIGINT',
    directory,
  );
  await service.start();
  return service;
}

/** A Redis of its own, with persistence off. */
export async function startPrivateRedis(): Promise<PrivateService> {
  if (privateRedisMissing) throw new Error(privateRedisMissing);
  const directory = mkdtempSync(path.join(tmpdir(), 'cg-redis-'));
  const port = await freePort();
  const service = privateService(
    `redis://127.0.0.1:${port}`,
    () =>
      launch('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory], /Ready to accept connections/),
    'SIGTERM',
    directory,
  );
  await service.start();
  return service;
}
