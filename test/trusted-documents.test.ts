import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FrontendSessions, FrontendTimeline } from '../examples/frontend/queries.js';
import { seedDemo } from '../src/demo/seed.js';
import { loadTrustedDocuments } from '../src/server/trusted-documents.js';
import type { AccountCredentials } from '../src/store/accounts.js';
import { useTestGateway } from './support/gateway.js';

// The README's worked example: the frontend's documents (examples/frontend) and the list GraphQL
// Code Generator writes of them, served in trusted-documents mode.

const listFile = path.resolve(import.meta.dirname, '../examples/frontend/gql/persisted-documents.json');
const fixture = useTestGateway({ trustedDocuments: await loadTrustedDocuments(listFile) });
let demo: AccountCredentials;

beforeAll(async () => {
  demo = await seedDemo(fixture.db.prisma);
});

async function post(body: object) {
  const response = await fetch(`${fixture.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${demo.authToken}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }) };
}

/** The id a frontend sends: the hash the client preset put on the document. */
const idOf = (document: unknown) => (document as { __meta__: { hash: string } }).__meta__.hash;

describe('trusted documents (GRAPHQL_TRUSTED_DOCUMENTS)', () => {
  it('a listed document runs, named by its documentId', async () => {
    const sessions = await post({ documentId: idOf(FrontendSessions), variables: { first: 5 } });
    expect(sessions).toMatchObject({ status: 200, data: { sessions: { totalCount: 3 } } });
    const timeline = await post({ documentId: idOf(FrontendTimeline), variables: { session: 'billing-late-fee' } });
    expect(timeline.errors).toBeUndefined();
    expect(timeline.data.session.messages.edges.length).toBeGreaterThan(0);
  });

  it("a listed document runs named by Apollo's persistedQuery hash too", async () => {
    const hash = idOf(FrontendSessions).replace('sha256:', '');
    expect(await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { first: 1 } })).toMatchObject({
      data: { sessions: { totalCount: 3 } },
    });
  });

  it('a document not in the list is refused, even one identical to a listed one', async () => {
    const listed = (await loadTrustedDocuments(listFile)).get(idOf(FrontendSessions))!;
    for (const query of ['{ sessions { totalCount } }', listed]) {
      const refused = await post({ query, variables: { first: 1 } });
      expect(refused).toMatchObject({ status: 400, errors: [{ extensions: { code: 'PERSISTED_QUERY_ONLY' } }] });
      expect(refused.data).toBeUndefined();
    }
    expect(await post({ documentId: 'sha256:0000' })).toMatchObject({ status: 400, errors: [{ message: 'No trusted document has this documentId', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect(await post({ variables: {} })).toMatchObject({ status: 400, errors: [{ extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' } }] });
  });

  it('a file that is not a persisted-documents list is a configuration error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cg-trusted-'));
    try {
      await writeFile(path.join(dir, 'list.json'), '["query { a }"]');
      await expect(loadTrustedDocuments(path.join(dir, 'list.json'))).rejects.toMatchObject({ code: 'invalid_configuration', message: expect.stringContaining('is not a persisted-documents file') });
      await expect(loadTrustedDocuments(path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'invalid_configuration' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
