import type { Configuration } from '../../config.js';
import { GatewayError } from '../../errors.js';
import { openMessageEvents } from '../../live/message-events.js';
import { connectRedis } from '../../live/redis.js';
import { createLogger } from '../../server/logger.js';
import { withDatabase } from '../../store/database.js';
import { deleteSessions, eraseIdentity, type Erased, type ErasureOptions } from '../../store/erasure.js';
import { findSession } from '../../store/sessions.js';
import { plural } from '../table.js';
import { parseCommandArgs, UsageError } from '../usage.js';

/** How an erasure by an operator is recorded: no API credential was used. */
const OPERATOR = 'command-line';

export async function run(args: string[], configuration: Configuration): Promise<number> {
  const { values } = parseCommandArgs('erase', args, {
    account: { type: 'string' },
    session: { type: 'string' },
    identity: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const { account, session, identity } = values;
  const problem = !account
    ? 'Which account? Pass --account AC…'
    : session === undefined && identity === undefined
      ? 'What to erase? Pass --session ID (an id or a name) or --identity ID'
      : session !== undefined && identity !== undefined
        ? 'Pass --session or --identity, not both'
        : !(session ?? identity)!.trim()
          ? `--${session !== undefined ? 'session' : 'identity'} must not be empty`
          : null;
  if (problem) throw new UsageError(problem);
  const dryRun = values['dry-run'] ?? false;
  return withDatabase(configuration.database, async (database) => {
    // Open streams on the deleted sessions end on every gateway sharing this Redis; the log (outages) goes to standard error.
    const redis = configuration.redisUrl && !dryRun ? connectRedis(configuration.redisUrl, createLogger(configuration.log, 2)) : undefined;
    try {
      const options: ErasureOptions = { credential: OPERATOR, dryRun, events: redis && (await openMessageEvents(redis)) };
      let erased: Erased;
      if (session !== undefined) {
        const found = await findSession(database.prisma, account!, session);
        if (!found) throw new GatewayError('not_found', `Account ${account} has no session "${session}"; nothing was erased`);
        erased = await deleteSessions(database.prisma, account!, [found.id], options);
      } else {
        erased = await eraseIdentity(database.prisma, account!, identity!, options);
      }
      const sessionIds = erased.deletedSessions.map((deleted) => deleted.sessionId);
      if (values.json) {
        console.log(JSON.stringify({ dryRun, sessions: erased.sessions, messages: erased.messages, sources: erased.sources, sessionIds }));
      } else {
        console.log(describeErasure(erased, sessionIds, dryRun, identity));
      }
      return 0;
    } finally {
      await redis?.close();
    }
  });
}

function describeErasure({ sessions, messages, sources }: Erased, sessionIds: string[], dryRun: boolean, identity: string | undefined): string {
  const counts = `${plural(sessions, 'session')}, ${plural(messages, 'message')}, ${plural(sources, 'source')}`;
  const what = identity === undefined ? '' : ` of identity "${identity}"`;
  const head = dryRun ? `Dry run: nothing was deleted. Erasing${what} would delete ${counts}.` : `Erased${what}: ${counts} deleted.`;
  const listed = sessionIds.map((sessionId) => `  session ${JSON.stringify(sessionId)}`);
  return [head, ...(listed.length ? [dryRun ? 'Sessions that would be deleted:' : 'Sessions deleted:', ...listed] : [])].join('\n');
}
