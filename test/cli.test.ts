import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './support/cli.js';
import { freePort } from './support/private-services.js';

// The embedded default, as `npm start` runs it on a bare machine: no DATABASE_URL.
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cg-cli-'));
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  env = { ...rest, DATA_DIR: dataDir, NODE_ENV: 'development' };
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function query(url: string, token: string, body: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: body }),
  });
  return response.json() as Promise<{ data?: Record<string, any>; errors?: unknown[] }>;
}

describe('conversation-gateway on the embedded database', () => {
  it('first start seeds the demo, prints its credentials and the GraphiQL URL, and serves them', async () => {
    const gateway = await startCli(env);
    try {
      const output = gateway.output();
      expect(output).toContain(`embedded PGlite in ${dataDir}`);
      expect(output).toContain(`GraphiQL: ${gateway.url}/graphql`);
      const token = /Demo auth token: (\w+)/.exec(output)![1]!;
      const { data } = await query(gateway.url, token, '{ sessions { totalCount } account { name } }');
      expect(data).toEqual({ sessions: { totalCount: 3 }, account: { name: 'Demo' } });

      const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('conversation-gateway');
      expect(html).toContain(token);

      const busy = await runCli(['account', 'create'], env);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/in use by another gateway process \(pid \d+\)\. Stop that process and run the command again/);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });

  it('account create prints credentials that work once the gateway runs again, without reseeding', async () => {
    const created = await runCli(['account', 'create', '--name', 'Acme'], env);
    expect(created.code).toBe(0);
    const account = JSON.parse(created.stdout) as { accountSid: string; authToken: string };
    expect(account.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(account.authToken).toMatch(/^[0-9a-f]{64}$/);

    const gateway = await startCli(env);
    try {
      expect(gateway.output()).not.toContain('Applied migrations');
      expect(gateway.output()).toContain('Demo auth token');
      const { data } = await query(gateway.url, account.authToken, '{ account { sid name } sessions { totalCount } }');
      expect(data).toEqual({ account: { sid: account.accountSid, name: 'Acme' }, sessions: { totalCount: 0 } });
    } finally {
      await gateway.stop();
    }
  });

  it('migrate reports an up-to-date database', async () => {
    const result = await runCli(['migrate'], env);
    expect(result).toMatchObject({ code: 0, stdout: 'The database is up to date.\n' });
  });

  it('--help explains the commands; an unknown command or option says so and exits 2', async () => {
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('conversation-gateway account create [--name NAME]');
    expect(help.stdout).toContain('DATABASE_URL');
    const unknown = await runCli(['frobnicate'], env);
    expect(unknown).toMatchObject({ code: 2, stderr: 'conversation-gateway: unknown command "frobnicate"; run conversation-gateway --help for the commands\n' });
  });

  it('a GraphiQL page is not served when NODE_ENV=production', async () => {
    const gateway = await startCli({ ...env, NODE_ENV: 'production' });
    try {
      expect(gateway.output()).not.toContain('GraphiQL:');
      const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('<html');
    } finally {
      await gateway.stop();
    }
  });
});

/** One plain line (then, for usage mistakes, the command's usage): no stack, quotes balanced. */
function expectPlainMessage(stderr: string) {
  expect(stderr).not.toMatch(/^\s+at /m);
  const [line] = stderr.split('\n');
  expect(line).not.toContain("'");
  expect(line!.split('"').length % 2).toBe(1);
}

describe('the command line as a new user meets it', () => {
  it.each([
    ['serve', 'Usage: conversation-gateway serve [--port PORT] [--host HOST]'],
    ['import', 'Usage: conversation-gateway import --account AC… --format twilio|analytics'],
    ['export', 'Usage: conversation-gateway export --account AC… [--session ID | --identity ID] [--since DATE]'],
    ['account', 'conversation-gateway account rotate-token AC…'],
    ['key', 'conversation-gateway key create --account AC… [--name NAME] [--read-only]'],
  ])('%s --help prints that command\'s own usage', async (command, usage) => {
    const help = await runCli([command, '--help'], env);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain(usage);
    expect(help.stdout).not.toContain('Environment:');
  });

  it('--version prints the version', async () => {
    const { version } = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'], env)).toMatchObject({ code: 0, stdout: `conversation-gateway ${version}\n` });
  });

  it('serve --port and --host say where to listen', async () => {
    const port = await freePort();
    const gateway = await startCli({ ...env, PORT: '1' }, ['--port', String(port), '--host', '127.0.0.1']);
    try {
      expect(gateway.url).toBe(`http://localhost:${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });

  it.each([
    [['import', '--acount', 'AC1', '--format', 'twilio', 'x.json'], 'conversation-gateway: Unknown option --acount for "import"; it takes --account, --format, --session, --json'],
    [['import', '--account'], 'conversation-gateway: Option --account of "import" needs a value'],
    [['import', '--account', 'AC1', '--format', 'analytics', 'chat.json'], 'conversation-gateway: Analytics arrays do not name their session: pass --session ID'],
    [['serve', '--prot', '5000'], 'conversation-gateway: Unknown option --prot for "serve"; it takes --port, --host'],
    [['serve', '--port', 'http'], 'conversation-gateway: The port must be a number from 0 to 65535, not "http"'],
    [['migrate', 'now'], 'conversation-gateway: "migrate" takes no arguments, got "now"'],
    [['account', 'delete'], 'conversation-gateway: Unknown account command "delete"; it is create, list, rotate-token or set-retention'],
    [['account', 'rotate-token'], 'conversation-gateway: Which account? Name it: account rotate-token AC…'],
    [['key', 'create'], 'conversation-gateway: Which account? Pass --account AC…'],
    [['key', 'list', '--account', 'AC1', '--json=yes'], 'conversation-gateway: Option --json of "key" takes no value'],
  ])('%j is a usage mistake: one line, the usage, exit code 2', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stderr).toContain('Usage:');
    expectPlainMessage(result.stderr);
  });

  it('a port in use is one line saying what to do, exit code 1', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const result = await runCli(['serve', '--port', String(port), '--host', '127.0.0.1'], env);
      expect(result).toMatchObject({
        code: 1,
        stderr: `conversation-gateway: Port ${port} on 127.0.0.1 is in use by another program: stop it, or choose another port with --port or PORT\n`,
      });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('an unreachable database server is one line saying what to do, exit code 1', async () => {
    const port = await freePort();
    const result = await runCli(['migrate'], { ...env, DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/test` });
    expect(result).toMatchObject({
      code: 1,
      stderr: `conversation-gateway: PostgreSQL at 127.0.0.1:${port} is not reachable (ECONNREFUSED): start it, or fix the host and port in DATABASE_URL\n`,
    });
  });

  it.skipIf(!process.env.DATABASE_URL)('a DATABASE_URL naming a database that does not exist is one line saying what to do, exit code 2 (a wrong setting)', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/cg_no_such_database';
    const result = await runCli(['migrate'], { ...env, DATABASE_URL: url.toString() });
    expect(result).toMatchObject({
      code: 2,
      stderr: `conversation-gateway: The database "cg_no_such_database" does not exist on PostgreSQL at ${url.host}: create it (createdb cg_no_such_database), or name another in DATABASE_URL\n`,
    });
  });

  it('a stale gateway.lock (its process gone) is taken over and reported', async () => {
    const gone = await runCli(['--version'], env);
    expect(gone.code).toBe(0);
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(exited.stdout);
    await writeFile(path.join(dataDir, 'gateway.lock'), String(pid));
    const result = await runCli(['migrate'], env);
    expect(result).toMatchObject({
      code: 0,
      stderr: `conversation-gateway: took over ${path.join(dataDir, 'gateway.lock')}, left by process ${pid}, which is no longer running (it did not shut down cleanly).\n`,
    });
  });

  it('account list, key create|list|revoke and account rotate-token', async () => {
    const account = JSON.parse((await runCli(['account', 'create', '--name', 'Keyed'], env)).stdout) as { accountSid: string; authToken: string };
    const listed = await runCli(['account', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ACCOUNT +NAME +CREATED +TOKEN ROTATED +API KEYS +RETENTION$/);
    expect(listed.stdout).toMatch(new RegExp(`^${account.accountSid} +Keyed +\\S+ +- +0 +off$`, 'm'));

    const created = await runCli(['key', 'create', '--account', account.accountSid, '--name', 'dashboard', '--read-only'], env);
    const key = JSON.parse(created.stdout) as { sid: string; secret: string; readOnly: boolean };
    expect(key).toMatchObject({ sid: expect.stringMatching(/^SK[0-9a-f]{32}$/), secret: expect.stringMatching(/^[0-9a-f]{64}$/), accountSid: account.accountSid, name: 'dashboard', readOnly: true });
    const keys = await runCli(['key', 'list', '--account', account.accountSid, '--json'], env);
    expect(keys.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ sid: key.sid, name: 'dashboard', readOnly: true })]);
    expect(keys.stdout).not.toContain(key.secret);

    const rotated = await runCli(['account', 'rotate-token', account.accountSid], env);
    const { authToken } = JSON.parse(rotated.stdout) as { authToken: string };
    expect(authToken).not.toBe(account.authToken);
    expect((await runCli(['account', 'list', '--json'], env)).stdout).toMatch(new RegExp(`"accountSid":"${account.accountSid}".*"tokenRotatedAt":"\\d{4}-.*"apiKeys":1`));

    expect(await runCli(['key', 'revoke', key.sid], env)).toMatchObject({ code: 0, stdout: `Revoked ${key.sid}.\n` });
    expect(await runCli(['key', 'revoke', key.sid], env)).toMatchObject({ code: 1, stderr: expect.stringContaining(`No API key ${key.sid}`) });
    expect(await runCli(['account', 'rotate-token', 'ACnone'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('No account ACnone') });
  });
});
