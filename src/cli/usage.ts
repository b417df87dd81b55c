import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was called: one line saying what to do, the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Each command's own help, printed by `conversation-gateway COMMAND --help` and after a usage mistake. */
export const commandUsage: Record<string, string> = {
  serve: `Usage: conversation-gateway serve [--port PORT] [--host HOST]

Starts the gateway: GraphQL at /graphql, the Twilio API under /v1/, the analytics API under
/api/v1/, Prometheus metrics at /metrics. --port and --host override PORT and HOST
(default 4000 and 0.0.0.0); --port 0 picks a free port.
`,
  migrate: `Usage: conversation-gateway migrate

Applies pending database migrations and exits (serve applies them too).
`,
  account: `Usage:
  conversation-gateway account create [--name NAME]   prints {"accountSid","authToken"}
  conversation-gateway account list [--json]          every account, with its number of API keys
                                                      and its retention
  conversation-gateway account rotate-token AC…       a new auth token, printed once; the old one
                                                      is refused, and the streams opened with it
                                                      end, on every gateway within seconds
  conversation-gateway account set-retention AC… --days N | --off
                                                      sessions whose last message is older than N
                                                      days (1 to 36500; an empty session: its
                                                      creation) are deleted by the gateways'
                                                      retention sweep; --off keeps them for ever.
                                                      Prints {"accountSid","retentionDays"}

account list shows each account's retention ("off" when none).
`,
  key: `Usage:
  conversation-gateway key create --account AC… [--name NAME] [--read-only]
                                        prints {"sid","secret",…}: the secret is shown only now
  conversation-gateway key list --account AC… [--json]
  conversation-gateway key revoke SK…   the key is refused from now on

An API key is used as HTTP Basic SK…:secret (Twilio's API-key form) or as
"Authorization: Bearer <secret>". A --read-only key is refused by every mutation.
`,
  import: `Usage: conversation-gateway import --account AC… --format twilio|analytics|archive [--session ID] [--json] FILE…

Imports conversations (FILE "-" reads standard input): Twilio Conversation History pages (one,
several in a row, or an array of them), analytics message arrays (these need --session), or an
archive written by "export" (sessions restored as they were; into a database without the account,
the account too, under a new auth token printed once). Each file is stored whole or not at all;
importing a file again changes nothing.
`,
  export: `Usage: conversation-gateway export --account AC… [--session ID | --identity ID] [--since DATE]
                                  [--format archive|twilio|openai] [FILE | -]

Writes an account's conversations to FILE, or to standard output ("-", the default), streamed:
  archive  (the default) the gateway's own JSON Lines, lossless: "import --format archive" gives
           every session and message back as it was
  twilio   JSON Lines of Conversation History message objects, as the Twilio API returns them
  openai   JSON Lines of OpenAI conversation items, one {"session_id","item"} a line
--session exports one session (its id or name). --identity exports what "erase --identity" would
remove: every session whose identity it is, whole, and the messages carrying it (with their
sources) in the account's other sessions, each naming its session. --since DATE (ISO 8601,
e.g. 2025-01-01 or 2025-01-01T10:00:00Z) only the messages created at or after it, and the
sessions that have some. Progress goes to standard error on a terminal.
`,
  erase: `Usage: conversation-gateway erase --account AC… (--session ID | --identity ID) [--dry-run] [--json]

Erases for good, in one transaction, and records the erasure (when, by whom, how many; never what):
  --session ID    the session with this id (or name), with every message and source of it
  --identity ID   every session whose identity this is, and every item carrying it in the
                  account's other sessions (with its sources); their summaries are counted again.
                  "export --identity ID" writes out exactly this, to keep or hand over first
  --dry-run       count and list what would be deleted; delete nothing
  --json          print one JSON object: {"dryRun","sessions","messages","sources","sessionIds"}

Afterwards every API answers as for a session that never existed. Open messageAdded streams on
the deleted sessions end: at once on every gateway sharing REDIS_URL, else within CREDENTIAL_CHECK_MS.
Exit code 0 when done (an identity found nowhere erases nothing), 1 when the account or the
session does not exist, 2 for a usage mistake.
`,
  'migration-new': `Usage: conversation-gateway migration-new NAME

(development) Writes a migration for the changes made to prisma/schema.prisma.
`,
};

/**
 * `parseArgs` for a command, with Node's messages (which quote unevenly and name no command)
 * replaced by one plain line.
 */
type CommandArgs<T extends ParseArgsConfig['options']> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

export function parseCommandArgs<T extends ParseArgsConfig['options']>(command: string, args: string[], options: T, allowPositionals = false): CommandArgs<T> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true }) as CommandArgs<T>;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw error;
    throw new UsageError(usageMistake(command, code, (error as Error).message, Object.keys(options ?? {})), command);
  }
}

function usageMistake(command: string, code: string, message: string, known: string[]): string {
  const option = /'(-{1,2}[^\s']+)/.exec(message)?.[1];
  const takes = known.length ? `; it takes ${known.map((name) => `--${name}`).join(', ')}` : '; it takes no options';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${option} for "${command}"${takes}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `Option ${option} of "${command}" ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `"${command}" takes no arguments, got "${/'([^']*)'/.exec(message)?.[1] ?? ''}"`;
    default:
      return `${message.replace(/'/g, '"')} (in "${command}")`;
  }
}
