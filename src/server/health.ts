import type { ServerResponse } from 'node:http';
import { pendingMigrations, refusesWrites, type PrismaClient } from '../store/database.js';
import { sendJson } from './http.js';

/** However the database fails to answer, /ready answers within this. */
const READY_CHECK_MS = 1500;

/** Why the gateway should not be sent traffic now, or null when it is ready. */
async function notReadyBecause(prisma: PrismaClient, draining: boolean): Promise<string | null> {
  if (draining) return 'shutting down';
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`the database did not answer within ${READY_CHECK_MS} ms`), READY_CHECK_MS)));
  const checked = Promise.all([pendingMigrations(prisma), refusesWrites(prisma)]).then(
    ([pending, readOnly]) => (pending.length ? `migrations not applied: ${pending.join(', ')}` : readOnly ? 'the database refuses writes (it is read-only)' : null),
    () => 'the database is not answering',
  );
  try {
    return await Promise.race([checked, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health`: the process is up and serving. `/ready`: it can serve requests, i.e. the database
 * answers and takes writes, every migration is applied and it is not shutting down. Neither needs
 * credentials, so a load balancer or an orchestrator can ask; /ready costs two cheap statements.
 */
export function createHealthRoutes(options: { prisma: PrismaClient; draining: () => boolean }) {
  return async (response: ServerResponse, path: string): Promise<boolean> => {
    if (path !== '/health' && path !== '/ready') return false;
    if (path === '/health') {
      sendJson(response, 200, { status: 'ok' });
      return true;
    }
    const reason = await notReadyBecause(options.prisma, options.draining());
    if (reason) sendJson(response, 503, { status: 'unavailable', reason }, { 'retry-after': '5' });
    else sendJson(response, 200, { status: 'ok' });
    return true;
  };
}
