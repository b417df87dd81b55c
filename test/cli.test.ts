import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './support/cli.js';

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
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    const option = await runCli(['import', '--frobnicate'], env);
    expect(option).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--frobnicate'") });
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
