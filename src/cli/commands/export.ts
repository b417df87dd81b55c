import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { exportAccount, type ExportFormat, type ExportProgress } from '../../export/exporter.js';
import { withDatabase } from '../../store/database.js';
import type { Configuration } from '../../config.js';
import { parseCommandArgs, UsageError } from '../usage.js';

const formats = ['archive', 'twilio', 'openai'] as const;

/** A date or a date-time, ISO 8601: 2025-01-01, 2025-01-01T10:00:00Z, 2025-01-01T10:00:00+02:00. */
function parseSince(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new UsageError(`--since takes an ISO 8601 date such as 2025-01-01 or 2025-01-01T10:00:00Z, not "${value}"`);
  return date;
}

export async function run(args: string[], configuration: Configuration): Promise<number> {
  const { positionals, values } = parseCommandArgs(
    'export',
    args,
    { account: { type: 'string' }, session: { type: 'string' }, identity: { type: 'string' }, since: { type: 'string' }, format: { type: 'string' } },
    true,
  );
  const format = (values.format ?? 'archive') as ExportFormat;
  const problem = !values.account
    ? 'Which account? Pass --account AC…'
    : !formats.includes(format)
      ? `Pass --format archive, twilio or openai, not "${values.format}"`
      : values.session !== undefined && values.identity !== undefined
        ? 'Pass --session or --identity, not both'
        : positionals.length > 1
          ? `Name one file to write, or "-" for standard output; got ${positionals.length}`
          : null;
  if (problem) throw new UsageError(problem);
  const since = values.since === undefined ? undefined : parseSince(values.since);
  const file = positionals[0] ?? '-';
  return withDatabase(configuration.database, async (database) => {
    const output: Writable = file === '-' ? process.stdout : createWriteStream(file);
    const progress = progressReporter();
    try {
      const exported = await exportAccount(
        database.prisma,
        output,
        { accountSid: values.account!, format, sessionId: values.session, identity: values.identity, since, pageBytes: configuration.gateway.maxReadBytes },
        progress.update,
      );
      if (file !== '-') {
        output.end();
        await finished(output);
      }
      progress.done();
      process.stderr.write(`Exported ${plural(exported.sessions, 'session')} and ${plural(exported.messages, 'message')}${file === '-' ? '' : ` to ${file}`}.\n`);
      return 0;
    } catch (error) {
      progress.done();
      // A file cut short would read as a whole export: it goes.
      if (file !== '-') {
        output.destroy();
        await rm(file, { force: true });
      }
      throw error;
    }
  });
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** A progress line on a terminal (rewritten in place, a few times a second); nothing when standard error is not one. */
function progressReporter() {
  const enabled = process.stderr.isTTY;
  let last = 0;
  return {
    update: ({ sessions, messages }: ExportProgress) => {
      if (!enabled || Date.now() - last < 200) return;
      last = Date.now();
      process.stderr.write(`\r\x1b[Kexporting: ${plural(sessions, 'session')}, ${plural(messages, 'message')}`);
    },
    done: () => {
      if (enabled && last) process.stderr.write('\r\x1b[K');
    },
  };
}
