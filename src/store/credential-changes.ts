import type { Transaction } from './transaction.js';

/**
 * "This account's credentials changed" (a token rotated, a key revoked), told through the database
 * itself: NOTIFY in the transaction that makes the change, so every gateway LISTENing on the same
 * PostgreSQL hears of it when, and only if, the change commits. Only the account sid travels.
 */
const CHANNEL = 'conversation_gateway_credentials_changed';

/** Sent with the transaction's commit. On the embedded database, which one process holds, nobody listens. */
export async function notifyCredentialsChanged(transaction: Transaction, accountSid: string): Promise<void> {
  await transaction.client.$executeRaw`SELECT pg_notify(${CHANNEL}, ${accountSid})`;
}

export interface CredentialChangeListener {
  /** An account's credentials changed. */
  changed(accountSid: string): void;
  /** The session was lost and is back: changes made meanwhile were not heard, so any credential may have changed. */
  missed(): void;
}

/** Where the listener reports losing its session and getting it back (the gateway's log). */
export interface OutageLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

const RECONNECT_MS = [250, 500, 1000, 2000];

/**
 * LISTENs for credential changes on a session of its own (a pooled connection cannot hold a
 * LISTEN), and opens it again after a database outage, for as long as the gateway runs: one line
 * in the log when it is lost, one when it is back, then `missed()`. Resolves once listening, or
 * once the first attempt has failed (the gateway serves without it meanwhile).
 */
export async function listenForCredentialChanges(url: string, listener: CredentialChangeListener, log: OutageLog): Promise<{ close(): Promise<void> }> {
  const { default: pg } = await import('pg');
  let session: InstanceType<typeof pg.Client> | undefined;
  let closed = false;
  let lost = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;

  const reconnect = (error: Error) => {
    session = undefined;
    if (closed || retry) return;
    if (!lost) log.warn({ err: error.message }, 'credential changes: the database session is lost; reconnecting');
    lost = true;
    retry = setTimeout(() => {
      retry = undefined;
      void open();
    }, RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]);
  };

  const open = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true });
    client.on('notification', ({ channel, payload }) => channel === CHANNEL && payload && listener.changed(payload));
    client.on('error', (error) => reconnect(error));
    client.on('end', () => session === client && reconnect(new Error('the connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      void client.end().catch(() => {});
      return reconnect(error as Error);
    }
    if (closed) return void client.end().catch(() => {});
    session = client;
    attempt = 0;
    if (lost) {
      lost = false;
      log.info({}, 'credential changes: the database session is back');
      listener.missed();
    }
  };

  await open();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await session?.end().catch(() => {});
    },
  };
}
