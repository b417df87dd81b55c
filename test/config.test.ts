import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configurationFromEnv } from '../src/config.js';
import { runCli } from './support/cli.js';

// Nothing is opened before the configuration is read: these runs never touch a database.
const { DATABASE_URL: _database, REDIS_URL: _redis, ...rest } = process.env;
const env: NodeJS.ProcessEnv = { ...rest, DATA_DIR: path.join(tmpdir(), 'cg-config-never-opened') };

describe('a wrong setting stops the command before it starts: one sentence naming the variable, exit code 2', () => {
  it.each([
    // numbers and durations
    ['REQUEST_TIMEOUT_MS', '30s', 'REQUEST_TIMEOUT_MS must be a positive whole number, not "30s"'],
    ['SHUTDOWN_DRAIN_MS', '0', 'SHUTDOWN_DRAIN_MS must be a positive whole number, not "0"'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '-5', 'DATABASE_STATEMENT_TIMEOUT_MS must be a positive whole number, not "-5"'],
    ['MAX_BODY_BYTES', '1e6', 'MAX_BODY_BYTES must be a positive whole number, not "1e6"'],
    ['MAX_MESSAGE_BYTES', 'lots', 'MAX_MESSAGE_BYTES must be a positive whole number, not "lots"'],
    ['MAX_SUBSCRIPTIONS_PER_ACCOUNT', '2.5', 'MAX_SUBSCRIPTIONS_PER_ACCOUNT must be a positive whole number, not "2.5"'],
    ['CREDENTIAL_CHECK_MS', 'soon', 'CREDENTIAL_CHECK_MS must be a positive whole number, not "soon"'],
    // Past a timer's reach, Node would fire it after 1 ms: every request out of time at once.
    ['REQUEST_TIMEOUT_MS', '3000000000', 'REQUEST_TIMEOUT_MS must be a positive whole number of milliseconds up to 2147483647 (about 24 days), not "3000000000"'],
    ['CREDENTIAL_CHECK_MS', '2147483648', 'CREDENTIAL_CHECK_MS must be a positive whole number of milliseconds up to 2147483647 (about 24 days), not "2147483648"'],
    ['RETENTION_SWEEP_INTERVAL_SECONDS', '1h', 'RETENTION_SWEEP_INTERVAL_SECONDS must be a positive whole number, not "1h"'],
    ['RETENTION_SWEEP_INTERVAL_SECONDS', '2147484', 'RETENTION_SWEEP_INTERVAL_SECONDS must be a positive whole number of seconds up to 2147483 (about 24 days), not "2147484"'],
    ['PORT', 'http', 'PORT must be a port number from 0 to 65535, not "http"'],
    ['METRICS_PORT', '99999', 'METRICS_PORT must be a port number from 0 to 65535, not "99999"'],
    // URLs
    ['DATABASE_URL', 'mysql://root@localhost/db', 'DATABASE_URL must be a URL such as postgresql://user@host:5432/database, not "mysql://root@localhost/db"'],
    ['DATABASE_URL', 'localhost:5432', 'DATABASE_URL must be a URL such as postgresql://user@host:5432/database, not "localhost:5432"'],
    ['REDIS_URL', 'localhost', 'REDIS_URL must be a URL such as redis://host:6379, not "localhost"'],
    ['REDIS_URL', 'http://cache:6379', 'REDIS_URL must be a URL such as redis://host:6379, not "http://cache:6379"'],
    ['PUBLIC_URL', 'api.example.com', 'PUBLIC_URL must be a URL such as https://api.example.com, not "api.example.com"'],
    // flags
    ['METRICS', 'no', 'METRICS must be "true" or "false", not "no"'],
    ['GRAPHIQL', '1', 'GRAPHIQL must be "true" or "false", not "1"'],
    ['EXPLORER', 'off', 'EXPLORER must be "true" or "false", not "off"'],
    ['GRAPHQL_INTROSPECTION', 'yes', 'GRAPHQL_INTROSPECTION must be "true" or "false", not "yes"'],
    // one of a list
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "verbose"'],
    ['LOG_FORMAT', 'text', 'LOG_FORMAT must be one of json, pretty, not "text"'],
  ])('serve with %s=%s', async (name, value, sentence) => {
    const result = await runCli(['serve', '--port', '0', '--host', '127.0.0.1'], { ...env, [name]: value });
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: `conversation-gateway: ${sentence}\n` });
  });

  it.each([
    [['key', 'list', '--account', 'AC1'], 'DATABASE_URL', 'postgres//db'],
    [['account', 'rotate-token', 'AC1'], 'REDIS_URL', 'redis//cache'],
    [['import', '--account', 'AC1', '--format', 'twilio', '-'], 'MAX_SOURCES_PER_MESSAGE', 'all'],
    [['migrate'], 'DATABASE_CONNECT_TIMEOUT_MS', '3 s'],
  ])('%j with %s=%s', async (args, name, value) => {
    const result = await runCli(args, { ...env, [name]: value });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^conversation-gateway: ${name} must be .*, not "${value}"\\n$`));
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${path.sep}generated${path.sep}`));
}

describe('one configuration, read once', () => {
  it('no module but src/config.ts reads the environment', async () => {
    const src = path.resolve(import.meta.dirname, '../src');
    const files = await sourceFiles(src);
    expect(files.length).toBeGreaterThan(50);
    const readers: string[] = [];
    for (const file of files) {
      if (/process\.env\b/.test(await readFile(file, 'utf8'))) readers.push(path.relative(src, file));
    }
    expect(readers).toEqual(['config.ts']);
  });
});

it('serves the explorer in production too, unless EXPLORER=false', () => {
  expect(configurationFromEnv({ NODE_ENV: 'production' }).explorer).toBe(true);
  expect(configurationFromEnv({ NODE_ENV: 'production', EXPLORER: 'false' }).explorer).toBe(false);
  expect(configurationFromEnv({ EXPLORER: 'false' }).explorer).toBe(false);
});
