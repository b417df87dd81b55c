import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { startGateway, testSettings, type RunningGateway } from './support/gateway.js';
import { basicAuth, send } from './support/http.js';
import { createTimeline } from './support/timeline.js';

// Twilio clients follow the paging URLs a page names, with their credentials. Built on a Host
// header no operator vouched for, a link could send that next request elsewhere: in production
// the Host counts only when ALLOWED_HOSTS names it (or PUBLIC_URL replaces it).

let db: TestDatabase;
let alice: AccountCredentials;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  alice = await createAccount(db.prisma, 'Alice');
  await createTimeline(db.prisma, alice.accountSid, 'paged', 10);
  await createTimeline(db.prisma, alice.accountSid, 'another', 1);
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await db?.close();
});

async function gatewayWith(env: Record<string, string>): Promise<RunningGateway> {
  const gateway = await startGateway(db.prisma, { settings: testSettings({ PUBLIC_URL: '', ALLOWED_HOSTS: '', ...env }) });
  gateways.push(gateway);
  return gateway;
}

/** The origins of every URL in a page's `meta`, asked for with this Host header. */
async function linkOrigins(gateway: RunningGateway, path: string, host: string): Promise<string[]> {
  const { status, json } = await send(gateway.url, path, { headers: { host, authorization: basicAuth(alice.accountSid, alice.authToken) } });
  expect(status).toBe(200);
  const { first_page_url, url, next_page_url } = json.meta as Record<string, string>;
  return [first_page_url, url, next_page_url].map((link) => new URL(link).origin);
}

const pages = ['/v1/Sessions/paged/Messages?PageSize=2', '/v1/Sessions?PageSize=1'];

describe('in production', () => {
  it.each(pages)('a hostile Host header does not reach the links of %s: they name the address the connection reached', async (path) => {
    const gateway = await gatewayWith({ NODE_ENV: 'production' });
    for (const host of ['evil.example', 'evil.example:443', `127.0.0.1.evil.example`]) {
      expect(await linkOrigins(gateway, path, host)).toEqual(Array(3).fill(gateway.url));
    }
  });

  it.each(pages)('a Host named in ALLOWED_HOSTS is used in the links of %s, any other is not', async (path) => {
    const gateway = await gatewayWith({ NODE_ENV: 'production', ALLOWED_HOSTS: 'api.example.com, gateway.internal:4000' });
    expect(await linkOrigins(gateway, path, 'api.example.com')).toEqual(Array(3).fill('http://api.example.com'));
    expect(await linkOrigins(gateway, path, 'API.Example.com')).toEqual(Array(3).fill('http://api.example.com'));
    expect(await linkOrigins(gateway, path, 'gateway.internal:4000')).toEqual(Array(3).fill('http://gateway.internal:4000'));
    // A port the operator did not name is not theirs either.
    expect(await linkOrigins(gateway, path, 'api.example.com:8080')).toEqual(Array(3).fill(gateway.url));
    expect(await linkOrigins(gateway, path, 'evil.example')).toEqual(Array(3).fill(gateway.url));
  });

  it('PUBLIC_URL is used whatever the Host', async () => {
    const gateway = await gatewayWith({ NODE_ENV: 'production', PUBLIC_URL: 'https://api.example.com/' });
    expect(await linkOrigins(gateway, pages[0]!, 'evil.example')).toEqual(Array(3).fill('https://api.example.com'));
  });
});

describe('outside production', () => {
  it("the links are built on the request's Host, as a developer's machine or a test expects", async () => {
    const gateway = await gatewayWith({ NODE_ENV: 'development' });
    expect(await linkOrigins(gateway, pages[0]!, 'localhost:4000')).toEqual(Array(3).fill('http://localhost:4000'));
  });

  it('ALLOWED_HOSTS, when set, holds there too', async () => {
    const gateway = await gatewayWith({ NODE_ENV: 'development', ALLOWED_HOSTS: 'api.example.com' });
    expect(await linkOrigins(gateway, pages[0]!, 'evil.example')).toEqual(Array(3).fill(gateway.url));
  });
});
