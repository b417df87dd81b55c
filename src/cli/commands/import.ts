import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { importMessages, type ImportFormat, type ImportProgress, type ImportSummary } from '../../import/importer.js';
import { openMessageEvents } from '../../live/message-events.js';
import { connectRedis } from '../../live/redis.js';
import { createLogger } from '../../server/logger.js';
import { withDatabase } from '../../store/database.js';
import type { Configuration } from '../../config.js';
import { GatewayError } from '../../errors.js';
import { plural } from '../table.js';
import { parseCommandArgs, UsageError } from '../usage.js';

const formats = ['twilio', 'analytics', 'archive'] as const;

export async function run(args: string[], configuration: Configuration): Promise<number> {
  const { positionals: files, values } = parseCommandArgs(
    'import',
    args,
    { account: { type: 'string' }, format: { type: 'string' }, session: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  const format = values.format as ImportFormat | undefined;
  const problem = !values.account
    ? 'Which account? Pass --account AC…'
    : !format || !formats.includes(format)
      ? `Pass --format twilio, analytics or archive${values.format ? `, not "${values.format}"` : ''}`
      : format === 'analytics' && !values.session
        ? 'Analytics arrays do not name their session: pass --session ID'
        : format === 'archive' && values.session
          ? 'An archive names its own sessions: leave out --session'
          : !files.length
          ? 'Name at least one file to import, or "-" for standard input'
          : null;
  if (problem) throw new UsageError(problem);
  return withDatabase(configuration.database, async (database) => {
    // Standard output carries the import's own report: the log, Redis outages, goes to standard error.
    const redis = configuration.redisUrl ? connectRedis(configuration.redisUrl, createLogger(configuration.log, 2)) : undefined;
    const events = await openMessageEvents(redis);
    let failed = 0;
    try {
      for (const file of files) {
        const name = file === '-' ? 'standard input' : file;
        const size = file === '-' ? undefined : await stat(file).then((s) => (s.isFile() ? s.size : null), () => null);
        if (size === null) {
          failed++;
          process.stderr.write(`conversation-gateway: ${name} is not a file that can be read.\n`);
          continue;
        }
        const progress = progressReporter(name, size);
        try {
          const input = file === '-' ? process.stdin : createReadStream(file);
          const { summary, appended, account } = await importMessages(database.prisma, input, name, { accountSid: values.account!, format: format!, sessionId: values.session, messageLimits: configuration.gateway.messageLimits }, progress.update);
          progress.done();
          appended.forEach(events.published);
          if (account && !values.json) console.log(`Created account ${account.accountSid} from ${name}; its new auth token, shown only now: ${account.authToken}`);
          console.log(values.json ? JSON.stringify({ file: name, ...summary, ...(account ? { account } : {}) }) : describeImport(name, summary));
        } catch (error) {
          progress.done();
          if (!(error instanceof GatewayError)) throw error;
          failed++;
          process.stderr.write(`conversation-gateway: ${error.message}. Nothing from ${name} was stored.\n`);
        }
      }
    } finally {
      await redis?.close();
    }
    return failed ? 1 : 0;
  });
}

function describeImport(name: string, summary: ImportSummary): string {
  const line = (noun: string, created: number, present: number) => `${plural(created, noun)} created, ${present.toLocaleString('en-US')} already present`;
  return [
    `${name}:`,
    `  ${line('session', summary.sessionsCreated, summary.sessionsPresent)}`,
    `  ${line('message', summary.messagesCreated, summary.messagesPresent)}`,
    `  ${line('source', summary.sourcesCreated, summary.sourcesPresent)}`,
  ].join('\n');
}

/** A progress line on a terminal (rewritten in place, a few times a second); nothing when output is piped. */
function progressReporter(name: string, totalBytes: number | undefined) {
  const enabled = process.stderr.isTTY;
  let last = 0;
  const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  return {
    update: ({ bytes, messages }: ImportProgress) => {
      if (!enabled || Date.now() - last < 200) return;
      last = Date.now();
      const of = totalBytes ? ` of ${megabytes(totalBytes)} (${Math.floor((100 * bytes) / totalBytes)}%)` : '';
      process.stderr.write(`\r\x1b[Kimporting ${name}: ${megabytes(bytes)}${of}, ${plural(messages, 'message')}`);
    },
    done: () => {
      if (enabled && last) process.stderr.write('\r\x1b[K');
    },
  };
}

