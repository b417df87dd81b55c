import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, type AccountCredentials } from '../src/store/accounts.js';
import { loadExplorerDocuments } from '../src/server/explorer.js';
import { startGateway, useTestGateway, type RunningGateway } from './support/gateway.js';

// A gateway serving the explorer (the default, EXPLORER on) without GRAPHQL_TRUSTED_DOCUMENTS runs
// any document: a request without one is answered as by a gateway without the explorer, not told
// to send the documentId of a trusted document that this gateway does not ask for.

const fixture = useTestGateway({ explorer: { documents: await loadExplorerDocuments() } });
let withExplorer: RunningGateway;
let plain: RunningGateway;
let account: AccountCredentials;
beforeAll(async () => {
  withExplorer = fixture.gateway;
  account = await createAccount(fixture.db.prisma);
  plain = await startGateway(fixture.db.prisma);
});
afterAll(async () => {
  await plain?.close();
});

async function post(gateway: RunningGateway, body: unknown) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${account.authToken}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('a request without a document', () => {
  it.each([[{}], [{ query: '' }], [{ variables: {} }]])('%j is answered alike with and without the explorer', async (body) => {
    const without = await post(plain, body);
    const served = await post(withExplorer, body);
    expect(served).toEqual(without);
  });
});

describe('a request naming a document', () => {
  it("runs the explorer's own by documentId or persistedQuery hash, and refuses an id not in its list", async () => {
    const [id] = [...(await loadExplorerDocuments())].find(([, document]) => document.startsWith('query ExplorerAccount'))!;
    const expected = { status: 200, body: { data: { account: { sid: account.accountSid, name: 'Account' } } } };
    expect(await post(withExplorer, { documentId: id, variables: {} })).toEqual(expected);
    expect(await post(withExplorer, { extensions: { persistedQuery: { version: 1, sha256Hash: id.replace('sha256:', '') } } })).toEqual(expected);
    expect(await post(withExplorer, { documentId: 'sha256:0000' })).toMatchObject({
      status: 400,
      body: { errors: [{ message: 'No trusted document has this documentId', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] },
    });
  });
});
