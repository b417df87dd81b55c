import { expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { asStoreError } from '../src/store/unavailable.js';

// What the page reader's driver throws, as node-postgres and PGlite throw it (no Prisma in between):
// a database that cannot be reached is `unavailable` (503 and Retry-After on every surface), a
// statement the database refused is not.

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function prismaError(originalCode: string, originalMessage: string): Error {
  return Object.assign(new Error(originalMessage), {
    code: 'P2010',
    meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode, originalMessage, code: originalCode } } },
  });
}

it.each([
  ['a host that no longer resolves', nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.internal')],
  ['a name server not answering', nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN db.internal')],
  ['a connection timing out', nodeError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.5:5432')],
  ['a host unreachable', nodeError('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.5:5432')],
  ['a broken pipe', nodeError('EPIPE', 'write EPIPE')],
  ['a server shutting down', nodeError('57P01', 'terminating connection due to administrator command')],
  ['a statement timeout', nodeError('57014', 'canceling statement due to statement timeout')],
  ['a connection failure', nodeError('08006', 'connection failure')],
  ['a pool out of connections', new Error('timeout exceeded when trying to connect')],
  ['a server starting up', nodeError('57P03', 'the database system is starting up')],
  ['a full disk', nodeError('53100', 'could not extend file: No space left on device')],
  ['a server out of memory', nodeError('53200', 'out of memory')],
  ['too many connections', nodeError('53300', 'sorry, too many clients already')],
  ['a read-only database', nodeError('25006', 'cannot execute INSERT in a read-only transaction')],
  // As Prisma raises what the driver adapter passed on.
  ['a read-only database, through Prisma', prismaError('25006', 'cannot execute UPDATE in a read-only transaction')],
  ['a full disk, through Prisma', prismaError('53100', 'could not extend file')],
])('%s is unavailable', (_case, error) => {
  const mapped = asStoreError(error);
  expect(mapped).toBeInstanceOf(GatewayError);
  expect(mapped).toMatchObject({ code: 'unavailable', retryAfterSeconds: expect.any(Number) });
});

it('says which: a database that refuses writes is not one that does not answer', () => {
  expect(asStoreError(prismaError('25006', 'cannot execute INSERT in a read-only transaction'))).toMatchObject({ message: expect.stringMatching(/^The database refuses writes/) });
  expect(asStoreError(nodeError('53100', 'could not extend file'))).toMatchObject({ message: expect.stringMatching(/^The database is out of resources/) });
  expect(asStoreError(nodeError('57P01', 'terminating connection'))).toMatchObject({ message: expect.stringMatching(/^The database is not answering/) });
});

it.each([
  ['a protocol violation (a statement sent wrong)', nodeError('08P01', 'bind message supplies 1 parameters, but prepared statement requires 2')],
  ['a syntax error', nodeError('42601', 'syntax error at or near "SELEC"')],
  ['a unique violation', nodeError('23505', 'duplicate key value violates unique constraint')],
  ['a unique violation, through Prisma', prismaError('23505', 'duplicate key value violates unique constraint')],
  ['a transaction already failed', nodeError('25P02', 'current transaction is aborted, commands ignored until end of transaction block')],
  ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
])('%s is left as it was', (_case, error) => {
  expect(asStoreError(error)).toBe(error);
});
