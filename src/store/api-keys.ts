import { randomBytes } from 'node:crypto';
import type { PrismaClient } from './database.js';
import { forgetCredentials, hashAuthToken, newSecret } from './accounts.js';
import { notifyCredentialsChanged } from './credential-changes.js';
import { inTransaction } from './transaction.js';
import { GatewayError } from '../errors.js';

/** What `key create` prints: the only moment the secret exists in clear. */
export interface ApiKeyCredentials {
  sid: string;
  secret: string;
  accountSid: string;
  name: string;
  readOnly: boolean;
}

export interface ApiKeySummary {
  sid: string;
  name: string;
  readOnly: boolean;
  createdAt: Date;
}

export async function createApiKey(
  prisma: PrismaClient,
  accountSid: string,
  { name = 'API key', readOnly = false }: { name?: string; readOnly?: boolean } = {},
): Promise<ApiKeyCredentials> {
  if (!(await prisma.account.findUnique({ where: { sid: accountSid }, select: { sid: true } }))) {
    throw new GatewayError('not_found', `No account ${accountSid}; "conversation-gateway account list" shows the accounts`);
  }
  const sid = `SK${randomBytes(16).toString('hex')}`;
  const secret = newSecret();
  await prisma.apiKey.create({ data: { sid, accountSid, name, readOnly, secretHash: hashAuthToken(secret) } });
  return { sid, secret, accountSid, name, readOnly };
}

export async function listApiKeys(prisma: PrismaClient, accountSid: string): Promise<ApiKeySummary[]> {
  return prisma.apiKey.findMany({ where: { accountSid }, orderBy: { createdAt: 'asc' }, select: { sid: true, name: true, readOnly: true, createdAt: true } });
}

/**
 * Deletes a key: it is refused from now on. Returns the account it belonged to, whose cached
 * credentials are dropped here and, told by the database with the change, by every gateway on it.
 */
export async function revokeApiKey(prisma: PrismaClient, sid: string): Promise<{ accountSid: string }> {
  const key = await inTransaction(prisma, async (transaction) => {
    const found = await transaction.client.apiKey.findUnique({ where: { sid }, select: { accountSid: true } });
    if (!found) throw new GatewayError('not_found', `No API key ${sid}; "conversation-gateway key list --account AC…" shows an account's keys`);
    await transaction.client.apiKey.deleteMany({ where: { sid } });
    await notifyCredentialsChanged(transaction, found.accountSid);
    return found;
  });
  forgetCredentials(prisma, key.accountSid);
  return key;
}
