import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { prepareExport, type ExportFormat, type ExportProgress, type ExportWriter } from '../../export/exporter.js';
import { withDatabase } from '../../store/database.js';
import type { Configuration } from '../../config.js';
import { plural } from '../table.js';
import { parseCommandArgs, UsageError } from '../usage.js';

const formats = ['archive', 'twilio', 'openai'] as const;

/** Whether YYYY-MM-DD names a day of the calendar: Date reads 2025-02-30 as the 2nd of March. */
function isCalendarDay(day: string): boolean {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const read = new Date(Date.UTC(year, month - 1, date));
  return read.getUTCMonth() === month - 1 && read.getUTCDate() === date;
}

/** A date or a date-time, ISO 8601: 2025-01-01, 2025-01-01T10:00:00Z, 2025-01-01T10:00:00+02:00. */
function parseSince(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime()) || !isCalendarDay(value.slice(0, 10))) throw new UsageError(`--since takes an ISO 8601 date such as 2025-01-01 or 2025-01-01T10:00:00Z, not "${value}"`);
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
    const options = { accountSid: values.account!, format, sessionId: values.session, identity: values.identity, since, pageBytes: configuration.gateway.maxReadBytes };
    // An unknown account or session is refused here, before any file is opened.
    const exportTo = await prepareExport(database.prisma, options);
    const progress = progressReporter();
    let exported: ExportProgress | string;
    try {
      exported = file === '-' ? await exportTo(process.stdout, progress.update) : await exportToFile(file, exportTo, progress.update);
    } finally {
      progress.done();
    }
    if (typeof exported === 'string') {
      process.stderr.write(`conversation-gateway: ${exported}\n`);
      return 1;
    }
    process.stderr.write(`Exported ${plural(exported.sessions, 'session')} and ${plural(exported.messages, 'message')}${file === '-' ? '' : ` to ${file}`}.\n`);
    return 0;
  });
}

/**
 * Writes the export beside FILE, as FILE.partial, and renames it over FILE once whole: a file cut
 * short would read as a whole export, and a failed export leaves an earlier FILE as it was.
 * A file that cannot be written is a sentence saying why, returned; any other failure is thrown.
 */
async function exportToFile(file: string, exportTo: ExportWriter, onProgress: (progress: ExportProgress) => void): Promise<ExportProgress | string> {
  const partial = `${file}.partial`;
  const output = createWriteStream(partial);
  let fileError: NodeJS.ErrnoException | undefined;
  // Listened to, an error between two writes is not uncaught: the export meets it at its next write, or waiting on the stream.
  output.on('error', (error) => (fileError ??= error));
  try {
    await once(output, 'open');
    const exported = await exportTo(output, onProgress);
    output.end();
    await finished(output);
    await rename(partial, file).catch((error: NodeJS.ErrnoException) => {
      throw (fileError = error);
    });
    return exported;
  } catch (error) {
    output.destroy();
    await rm(partial, { force: true });
    if (!fileError || error !== fileError) throw error;
    return `Cannot write ${file}: ${fileProblem(fileError)}. Nothing was exported.`;
  }
}

/** A file system error in words, without the partial file's name the system's message carries. */
function fileProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error.code ?? error.message;
  }
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
