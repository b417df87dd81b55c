import http from 'node:http';
import zlib from 'node:zlib';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { startGateway, type RunningGateway } from './support/gateway.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let db: TestDatabase;
let gateway: RunningGateway;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: install Debian's "chromium" package (.ci/run does) or set CHROMIUM_PATH.`);
  }
  db = await openTestDatabase();
  const demo = await seedDemo(db.prisma);
  gateway = await startGateway(db.prisma, { graphiqlToken: demo.authToken });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await db?.close();
});

it('serves GraphiQL offline with the example query, and running it shows the demo data', async () => {
  const page = await browser.newPage();
  const foreignRequests: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(gateway.url) && !url.startsWith('data:') && !url.startsWith(`blob:${gateway.url}`)) foreignRequests.push(url);
  });
  await page.goto(`${gateway.url}/graphql`);
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
  // The editor renders spaces as no-break spaces.
  const editorText = async () => (await page.locator('.graphiql-query-editor').innerText()).replace(/\u00a0/g, ' ');
  await expect.poll(editorText).toContain('query Conversations');
  const answer = page.waitForResponse((response) => response.url() === `${gateway.url}/graphql` && response.request().method() === 'POST');
  await page.locator('.graphiql-execute-button').click();
  const body = (await (await answer).json()) as { data?: { sessions: { edges: { node: { name: string; messages: { edges: { node: { __typename: string } }[] } } }[] } }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  const sessions = body.data!.sessions.edges.map((edge) => edge.node);
  expect(sessions.map((session) => session.name)).toEqual(['billing-late-fee', 'password-reset', 'empty']);
  const kinds = new Set(sessions.flatMap((session) => session.messages.edges.map((edge) => edge.node.__typename)));
  expect(kinds).toEqual(new Set(['ChatMessage', 'ToolCall', 'KnowledgeCall', 'Source']));
  // The result pane renders only the lines in view, so check the top of it.
  const responseText = async () => (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');
  await expect.poll(responseText).toContain('"name": "billing-late-fee"');
  if (process.env.GRAPHIQL_SCREENSHOT) await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT });
  expect(foreignRequests, foreignRequests.join(" ")).toEqual([]);
});

/** GET /graphql as a browser asks for the page, with the raw bytes as sent (fetch would decode them). */
function rawPage(acceptEncoding?: string): Promise<{ encoding?: string; vary?: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { accept: 'text/html', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) };
    http.get(`${gateway.url}/graphql`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ encoding: response.headers['content-encoding'], vary: response.headers.vary, bytes: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

it('sends the page compressed to clients that accept it, and whole to those that do not', async () => {
  const plain = await rawPage();
  expect(plain.encoding).toBeUndefined();
  expect(plain.bytes.toString()).toContain('<html');
  const brotli = await rawPage('gzip, deflate, br');
  expect(brotli).toMatchObject({ encoding: 'br', vary: 'accept-encoding' });
  expect(zlib.brotliDecompressSync(brotli.bytes).equals(plain.bytes)).toBe(true);
  expect(brotli.bytes.length).toBeLessThan(plain.bytes.length / 4);
  const gzipped = await rawPage('gzip, br;q=0');
  expect(gzipped.encoding).toBe('gzip');
  expect(zlib.gunzipSync(gzipped.bytes).equals(plain.bytes)).toBe(true);
  expect(gzipped.bytes.length).toBeLessThan(plain.bytes.length / 3);
});
