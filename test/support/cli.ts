import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

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
