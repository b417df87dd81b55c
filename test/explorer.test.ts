import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.js';
import { importMessages } from '../src/import/importer.js';
import { openMessageEvents } from '../src/live/message-events.js';
import { explorerDocumentsFile, loadExplorerDocuments } from '../src/server/explorer.js';
import { loadTrustedDocuments } from '../src/server/trusted-documents.js';
import type { AccountCredentials } from '../src/store/accounts.js';
import { appendMessages } from '../src/store/append.js';
import { createApiKey, type ApiKeyCredentials } from '../src/store/api-keys.js';
import { ensureSession } from '../src/store/sessions.js';
import { graphql as gql } from './documents/index.js';
import { openTestDatabase, type TestDatabase } from './support/database.js';
import { graphql, startGateway, type StartedGateway } from './support/gateway.js';
import { createBulkTimeline, generatedMessages } from './support/timeline.js';

// The explorer page in Debian's Chromium, against a gateway that runs the page's trusted documents
// only (as a production frontend's would), over imported data. A second gateway on the same
// database and live events takes the test's own writes, which the first would refuse.

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = 'test-results/explorer';
const LONG_SESSION_ITEMS = 100_000;

const AppendForTest = gql(`
  mutation ExplorerTestAppend($sessionId: ID!, $messages: [MessageInput!]!) {
    appendMessages(sessionId: $sessionId, messages: $messages) { messagesCreated }
  }
`);

let db: TestDatabase;
let page: Page;
let explorer: StartedGateway;
let writer: StartedGateway;
let browser: Browser;
let demo: AccountCredentials;
let readOnlyKey: ApiKeyCredentials;
/** Operation names of the documents in the page's persisted list, by id. */
const operationOf = new Map<string, string>();
/** Every GraphQL operation the page sent: its name and variables. */
const sent: { operation: string; variables: Record<string, unknown> }[] = [];
const foreignRequests: string[] = [];
const consoleErrors: string[] = [];
const dialogs: string[] = [];

const hostileFile = JSON.stringify([
  {
    id: 'hostile-1',
    role: 'user',
    content: '<img src=x onerror="window.pwned=1;alert(1)"><script>window.pwned=2;alert(2)</script> **bold** [click](javascript:alert(3))',
    timestamp: '2025-02-01T10:00:00.000Z',
  },
  {
    id: 'hostile-2',
    role: 'assistant',
    content: 'Read this [1].',
    timestamp: '2025-02-01T10:00:01.000Z',
    metadata: { sources: { '1': { text: '<b onmouseover="alert(4)">bold</b>', url: 'javascript:alert(5)', title: '<script>alert(6)</script>', score: 0.5 } } },
  },
]);

const basic = (key: ApiKeyCredentials) => `Basic ${Buffer.from(`${key.sid}:${key.secret}`).toString('base64')}`;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: install Debian's "chromium" package (.ci/run does) or set CHROMIUM_PATH.`);
  }
  db = await openTestDatabase();
  demo = await seedDemo(db.prisma);
  readOnlyKey = await createApiKey(db.prisma, demo.accountSid, { name: 'explorer', readOnly: true });
  await importMessages(db.prisma, Readable.from([hostileFile]), 'hostile.json', { accountSid: demo.accountSid, format: 'analytics', sessionId: 'hostile' });
  // 30 sessions of one identity: more than a page of the list.
  for (let n = 0; n < 30; n++) {
    const { session } = await ensureSession(db.prisma, demo.accountSid, { sessionId: `paging-${n}`, identity: 'user:paging' });
    await appendMessages(db.prisma, session, generatedMessages(1, `paging-${n}`));
  }
  await createBulkTimeline(db.prisma, demo.accountSid, 'long', LONG_SESSION_ITEMS);
  const trustedDocuments = await loadTrustedDocuments(explorerDocumentsFile);
  for (const [id, document] of trustedDocuments) operationOf.set(id, /(?:query|subscription|mutation) (\w+)/.exec(document)![1]!);
  const events = await openMessageEvents();
  explorer = await startGateway(db.prisma, { events, trustedDocuments, explorer: { demoToken: demo.authToken, documents: trustedDocuments } });
  // Not limited to trusted documents, and without the explorer: the test's writes go here.
  writer = await startGateway(db.prisma, { events });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(explorer.url) && !url.startsWith('data:') && !url.startsWith(`blob:${explorer.url}`)) foreignRequests.push(url);
    if (url === `${explorer.url}/graphql` && request.method() === 'POST') {
      const body = request.postDataJSON() as { documentId: string; variables: Record<string, unknown> };
      sent.push({ operation: operationOf.get(body.documentId) ?? `unlisted ${body.documentId}`, variables: body.variables });
    }
  });
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await mkdir(artifacts, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await explorer?.close();
  await writer?.close();
  await db?.close();
});

/** No serious or critical accessibility violation on the page as it stands (axe-core, run in the page). */
async function expectAccessible(): Promise<void> {
  const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(`${axeSource}\n;0`);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
    return result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id} (${violation.nodes.length})`);
  });
  expect(violations).toEqual([]);
}

const timelineItems = () => page.locator('ol.timeline > li');

it('signs in with a read-only key after refusing a wrong token, and lists the conversations with their summaries', async () => {
  await page.goto(explorer.url);
  await expectAccessible();
  const field = page.getByLabel('Auth token or API key');
  await field.fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('did not accept this auth token or API key');
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

  await field.fill(`${readOnlyKey.sid}:${readOnlyKey.secret}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const voice = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'billing-late-fee' }) });
  await voice.waitFor();
  // Messages, tool calls, sources, first and last message, average confidence.
  const cells = await voice.locator('td').allTextContents();
  expect(cells.slice(0, 4)).toEqual(['user:+15555550100', '2', '1', '2']);
  expect(cells[6]).toBe('88%');
  // Newest activity first: the imported session (February), the demo's empty one (created 16 January), its
  // two others (15 January), the long one (2 January).
  const names = await page.locator('tbody th a').allTextContents();
  expect(names.slice(0, 5)).toEqual(['hostile', 'empty', 'password-reset', 'billing-late-fee', 'long']);
  await page.screenshot({ path: `${artifacts}/list-light.png`, fullPage: true });
  await expectAccessible();
});

it('filters the list by identity, keeps the filter in the URL, and loads the next page as the list is scrolled', async () => {
  await page.getByLabel('Identity').fill('user:paging');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect.poll(() => page.locator('tbody tr').count()).toBe(25);
  expect(new URL(page.url()).searchParams.get('identity')).toBe('user:paging');
  await page.locator('tbody tr').last().scrollIntoViewIfNeeded();
  await page.locator('.sentinel').scrollIntoViewIfNeeded();
  await expect.poll(() => page.locator('tbody tr').count()).toBe(30);
  const pages = sent.filter((request) => request.operation === 'ExplorerSessions' && (request.variables.filter as { identity?: string })?.identity === 'user:paging');
  expect(pages.map((request) => request.variables.after === null)).toEqual([true, false]);
  // The URL alone opens the same view.
  await page.goto(page.url());
  await expect.poll(() => page.locator('tbody tr').count()).toBe(25);
  await expect.poll(() => page.getByText('30 conversations').count()).toBe(1);
  // The other filters, each from a shared URL: assistant, activity dates, text.
  const listed = async (query: string) => {
    await page.goto(`${explorer.url}/?${query}`);
    await page.getByText(/^\d+ conversations?, most recently active first$/).waitFor();
    return page.locator('tbody th a').allTextContents();
  };
  expect(await listed('assistant=aia_asst_demo_billing')).toEqual(['billing-late-fee']);
  expect(await listed('from=2025-01-15&to=2025-01-15')).toEqual(['password-reset', 'billing-late-fee']);
  expect(await listed('text=waive')).toEqual(['billing-late-fee']);
  expect(await page.getByLabel('Containing text').inputValue()).toBe('waive');
});

it('shows a session with every kind of item, tool arguments and output as JSON, and citations opening their sources', async () => {
  await page.goto(explorer.url);
  await page.getByRole('link', { name: 'billing-late-fee' }).click();
  await expect.poll(() => timelineItems().count()).toBe(6);
  await expect.poll(() => page.getByRole('article', { name: 'User message, item 1' }).textContent()).toContain('Why was I charged a late fee on invoice 1042?');
  const tool = page.getByRole('article', { name: 'Tool call, item 2' });
  expect(await tool.textContent()).toContain('lookup_invoice');
  await tool.getByText('Arguments').click();
  expect(JSON.parse((await tool.locator('pre').first().textContent())!)).toEqual({ invoice: '1042' });
  await tool.getByText('Output').click();
  expect(JSON.parse((await tool.locator('pre').nth(1).textContent())!)).toEqual({ status: 'paid', days_late: 12 });
  expect(await page.getByRole('article', { name: 'Knowledge call, item 3' }).textContent()).toContain('late fee policy');
  const source = page.getByRole('article', { name: 'Source 1, item 4' });
  expect(await source.getByRole('link', { name: 'https://example.com/billing/late-fees' }).getAttribute('href')).toBe('https://example.com/billing/late-fees');
  expect(await source.textContent()).toContain('score 0.92');
  expect(await page.getByRole('article', { name: 'Assistant message, item 6' }).textContent()).toContain('Confidence 88%');

  await page.getByRole('link', { name: 'Conversations' }).click();
  await page.getByRole('link', { name: 'password-reset' }).click();
  await expect.poll(() => page.getByRole('article', { name: 'Human agent message, item 6' }).count()).toBe(1);
  await page.getByRole('link', { name: 'Source 2' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe('4');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('item-4');
  expect(await page.locator('#item-4').textContent()).toContain('A reset link is valid for 30 minutes.');
  await page.screenshot({ path: `${artifacts}/session-light.png`, fullPage: true });
  await expectAccessible();
});

it('shows messages appended through GraphQL while the view is open, again after the stream is cut', async () => {
  const append = async (messageId: string, text: string) => {
    const result = await graphql(writer, demo.authToken, AppendForTest, { sessionId: 'password-reset', messages: [{ messageId, role: 'USER', text }] });
    expect(result.errors).toBeUndefined();
  };
  // The view subscribes as it opens; wait for the stream before writing.
  await expect.poll(() => sent.filter((request) => request.operation === 'ExplorerMessageAdded').length).toBeGreaterThan(0);
  await append('live-1', 'Appended while the view is open');
  await page.getByText('Appended while the view is open').waitFor({ timeout: 15_000 });
  const subscriptions = sent.filter((request) => request.operation === 'ExplorerMessageAdded').length;
  explorer.dropConnections();
  await append('live-2', 'Appended after the connection dropped');
  await page.getByText('Appended after the connection dropped').waitFor({ timeout: 15_000 });
  const resumed = sent.filter((request) => request.operation === 'ExplorerMessageAdded').slice(subscriptions);
  expect(resumed.length).toBeGreaterThan(0);
  expect(resumed[0]!.variables.after).toEqual(expect.any(String));
  expect(await page.getByText('Appended while the view is open').count()).toBe(1);
  expect(await timelineItems().count()).toBe(8);
});

it('says so when the open session is deleted, and stops asking for its live stream', async () => {
  await ensureSession(db.prisma, demo.accountSid, { sessionId: 'deleted-while-open' });
  const before = sent.length;
  const subscriptions = () => sent.slice(before).filter((request) => request.operation === 'ExplorerMessageAdded').length;
  await page.goto(`${explorer.url}/?session=deleted-while-open`);
  await expect.poll(subscriptions).toBeGreaterThan(0);
  const deleted = await graphql(writer, demo.authToken, 'mutation { deleteSession(sessionId: "deleted-while-open") { messagesDeleted } }');
  expect(deleted.errors).toBeUndefined();
  // The stream ends; asked again, the gateway refuses it, and the page says why.
  await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('deleted-while-open');
  const asked = subscriptions();
  // Every further ask would be refused the same way: none is made (the stream used to be asked for every second).
  await page.waitForTimeout(3_000);
  expect(subscriptions()).toBe(asked);
});

it('finds messages across the account and opens a hit at its item', async () => {
  await page.getByLabel('Search messages').fill('waive');
  await page.getByLabel('Search messages').press('Enter');
  const hit = page.getByRole('link', { name: /^billing-late-fee, Message 6$/ });
  await hit.waitFor();
  expect(await page.locator('.hits mark').first().textContent()).toMatch(/^waive/i);
  await expectAccessible();
  await hit.click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('item-6');
  expect(new URL(page.url()).searchParams.get('session')).toBe('voice:CA00000000000000000000000000000001');
});

it('renders markup, script and a javascript: source URL of a conversation as inert text', async () => {
  await page.goto(`${explorer.url}/?session=hostile`);
  const message = page.getByRole('article', { name: 'User message, item 1' });
  await expect.poll(() => message.textContent()).toContain('<script>window.pwned=2;alert(2)</script> **bold** [click](javascript:alert(3))');
  const source = page.getByRole('article', { name: 'Source 1, item 3' });
  expect(await source.textContent()).toContain('<script>alert(6)</script>');
  expect(await source.textContent()).toContain('Link not opened');
  expect(await page.locator('ol.timeline img, ol.timeline script, ol.timeline b, ol.timeline strong:text("bold")').count()).toBe(0);
  expect(await page.locator('a[href^="javascript:"], a[href*="javascript"]').count()).toBe(0);
  await page.getByRole('link', { name: 'Source 1' }).click();
  await page.mouse.move(400, 400);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

it('opens a 100,000-item session with only its first screen of items requested, and an item by its link', async () => {
  const before = sent.length;
  await page.goto(`${explorer.url}/?session=long`);
  await expect.poll(() => timelineItems().count()).toBe(30);
  expect(await timelineItems().first().textContent()).toContain('message number 1');
  // Settled: nothing more is asked for until the person scrolls.
  await page.waitForTimeout(1000);
  // Only the first 30 items were asked for: no page after them. (On a loaded machine Chromium may
  // send a request again on a fresh connection when the kept-alive one it chose was closed.)
  const timelines = sent.slice(before).filter((request) => request.operation === 'ExplorerTimeline');
  expect(timelines.length).toBeGreaterThan(0);
  expect(new Set(timelines.map((request) => JSON.stringify(request.variables)))).toEqual(new Set([JSON.stringify({ session: 'long', first: 30 })]));
  expect(await timelineItems().count()).toBe(30);

  await page.locator('.sentinel').scrollIntoViewIfNeeded();
  await expect.poll(() => timelineItems().count()).toBe(60);

  const linked = sent.length;
  await page.goto(`${explorer.url}/?session=long&at=50000`);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('item-50000');
  expect(await page.locator('#item-50000').textContent()).toContain('message number 50000');
  const opened = sent.slice(linked).filter((request) => request.operation === 'ExplorerTimeline');
  expect(new Set(opened.map((request) => JSON.stringify(request.variables)))).toEqual(new Set([JSON.stringify({ session: 'long', first: 30, afterPosition: 49_999 })]));
  await page.getByRole('button', { name: 'Show earlier items' }).click();
  await expect.poll(() => page.locator('#item-49999').count()).toBe(1);
});

it('downloads the open session as the Twilio and analytics APIs return it', async () => {
  await page.goto(`${explorer.url}/?session=password-reset`);
  await page.getByRole('article', { name: 'User message, item 1' }).waitFor();
  const headers = { authorization: basic(readOnlyKey) };
  for (const [button, path] of [
    ['Download Twilio JSON', '/v1/Sessions/password-reset/Messages?PageSize=1000'],
    ['Download analytics JSON', '/api/v1/conversations/password-reset/messages'],
  ] as const) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    const downloaded = JSON.parse(await readFile((await download.path())!, 'utf8')) as unknown;
    const rest = (await (await fetch(`${explorer.url}${path}`, { headers })).json()) as unknown;
    expect(downloaded).toEqual(rest);
    expect(JSON.stringify(downloaded)).toContain('Appended after the connection dropped');
  }
});

it("follows the system's dark setting", async () => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${explorer.url}/?session=password-reset`);
  await page.getByRole('article', { name: 'User message, item 1' }).waitFor();
  expect(await background()).not.toBe(light);
  await page.screenshot({ path: `${artifacts}/session-dark.png`, fullPage: true });
  await expectAccessible();
  await page.goto(explorer.url);
  await page.getByRole('link', { name: 'billing-late-fee' }).waitFor();
  await page.screenshot({ path: `${artifacts}/list-dark.png`, fullPage: true });
  await expectAccessible();
});

it('sent every GraphQL operation by the hash of a listed document, and nothing left the machine or failed in the console', () => {
  expect(sent.filter((request) => request.operation.startsWith('unlisted'))).toEqual([]);
  expect(foreignRequests).toEqual([]);
  expect(dialogs).toEqual([]);
  // Chromium itself logs the two failures the test provoked: the refused sign-in's 401 and the cut stream.
  const provoked = (text: string) => text.includes('status of 401') || text.includes('ERR_INCOMPLETE_CHUNKED_ENCODING');
  expect(consoleErrors.filter((text) => !provoked(text))).toEqual([]);
});

it('serves the page with its security headers, compressed, and its hashed assets as immutable', async () => {
  const response = await fetch(explorer.url, { headers: { 'accept-encoding': 'br' } });
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  const policy = new Map(response.headers.get('content-security-policy')!.split(';').map((directive) => {
    const [name, ...values] = directive.trim().split(/\s+/);
    return [name!, values.join(' ')];
  }));
  // Only the page's own scripts run (none inline), it connects to its own origin only, and cannot be framed.
  expect(Object.fromEntries(['default-src', 'script-src', 'connect-src', 'frame-ancestors', 'base-uri', 'form-action'].map((name) => [name, policy.get(name)]))).toEqual({
    'default-src': "'none'",
    'script-src': "'self'",
    'connect-src': "'self'",
    'frame-ancestors': "'none'",
    'base-uri': "'none'",
    'form-action': "'none'",
  });
  const html = await response.text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
  const raw = await new Promise<{ encoding?: string; cache?: string; type?: string; bytes: Buffer }>((resolve, reject) => {
    void import('node:http').then(({ get }) =>
      get(`${explorer.url}${script}`, { headers: { 'accept-encoding': 'gzip, br' } }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ encoding: answer.headers['content-encoding'], cache: answer.headers['cache-control'], type: answer.headers['content-type'], bytes: Buffer.concat(chunks) }));
      }).on('error', reject),
    );
  });
  expect(raw).toMatchObject({ encoding: 'br', cache: 'public, max-age=31536000, immutable', type: 'text/javascript; charset=utf-8' });
  const plain = zlib.brotliDecompressSync(raw.bytes);
  expect(raw.bytes.length).toBeLessThan(plain.length / 2);
  // A browser on the gateway's own machine is offered the demo token, as GraphiQL does; a gateway without the explorer serves nothing at /.
  expect(await (await fetch(`${explorer.url}/explorer-demo.json`)).json()).toEqual({ token: demo.authToken });
  expect((await fetch(`${writer.url}/`)).status).toBe(404);
});

it('serves the page on a gateway that runs any document: its documents by id, others as sent', async () => {
  const open = await startGateway(db.prisma, { explorer: { documents: await loadExplorerDocuments() } });
  try {
    expect((await fetch(`${open.url}/`)).status).toBe(200);
    const [accountDocument] = [...(await loadExplorerDocuments())].find(([, document]) => document.startsWith('query ExplorerAccount')) ?? [];
    const byId = await fetch(`${open.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(readOnlyKey) },
      body: JSON.stringify({ documentId: accountDocument, variables: {} }),
    });
    expect(await byId.json()).toEqual({ data: { account: { sid: demo.accountSid, name: 'Demo' } } });
    expect((await graphql(open, demo.authToken, '{ account { sid } }')).data).toEqual({ account: { sid: demo.accountSid } });
  } finally {
    await open.close();
  }
});
