import { readFileSync } from 'node:fs';
import { configurationFromEnv, type Configuration } from '../config.js';
import { GatewayError, type ErrorCode } from '../errors.js';
import { commandUsage, UsageError } from './usage.js';

/** Every domain error as the command line answers it: 2 for a usage mistake or a wrong setting, 1 for anything else that failed. */
const exitCodeOf: Record<ErrorCode, number> = {
  not_found: 1,
  invalid_argument: 2,
  invalid_cursor: 1,
  unauthenticated: 1,
  permission_denied: 1,
  conflict: 1,
  limit_exceeded: 1,
  payload_too_large: 1,
  unsupported_media_type: 1,
  method_not_allowed: 1,
  rate_limited: 1,
  unavailable: 1,
  database_in_use: 1,
  invalid_configuration: 2,
  internal: 1,
};

const usage = `conversation-gateway: a Relay GraphQL gateway over conversation history, with the
Twilio Conversation History and analytics REST APIs served alongside.

Usage:
  conversation-gateway [serve] [--port PORT] [--host HOST]
                                               start the gateway (the default)
  conversation-gateway migrate                 apply pending database migrations and exit
  conversation-gateway account create [--name NAME]
                                               create an account; prints {"accountSid","authToken"}
  conversation-gateway account list            list the accounts
  conversation-gateway account rotate-token AC…
                                               replace an account's auth token; the old one is refused
  conversation-gateway account set-retention AC… --days N | --off
                                               delete the account's sessions N days after their last message
  conversation-gateway key create --account AC… [--name NAME] [--read-only]
                                               create an API key; prints {"sid","secret",…}
  conversation-gateway key list --account AC…  list an account's API keys
  conversation-gateway key revoke SK…          revoke an API key
  conversation-gateway import --account AC… --format twilio|analytics|archive [--session ID] [--json] FILE…
                                               import conversations (FILE "-" reads standard input):
                                               Twilio Conversation History pages (one, several in a
                                               row, or an array of them), analytics message arrays
                                               (these need --session) or an archive from "export".
                                               Each file is stored whole or not at all; importing a
                                               file again changes nothing.
  conversation-gateway export --account AC… [--session ID | --identity ID] [--since DATE]
                          [--format archive|twilio|openai] [FILE | -]
                                               export conversations, streamed: the lossless archive
                                               (the default; "import --format archive" reads it),
                                               Twilio message objects, or OpenAI conversation items
  conversation-gateway erase --account AC… (--session ID | --identity ID) [--dry-run] [--json]
                                               delete a session (by id or name) with all its items,
                                               or erase a person: the sessions whose identity it is
                                               and the items carrying it in other sessions. For
                                               good: --dry-run first shows what would go.
  conversation-gateway migration-new NAME      (development) write a migration for schema.prisma changes
  conversation-gateway COMMAND --help          a command's own help
  conversation-gateway --help | --version

Environment:
  DATABASE_URL   postgresql://user@host:5432/db; without it, embedded PGlite is used
  DATA_DIR       where the embedded database lives (default ./data)
  PORT           port to listen on (default 4000); HOST (default 0.0.0.0)
  NODE_ENV       "production" turns GraphiQL off unless GRAPHIQL=true
  GRAPHIQL       true or false: serve GraphiQL at /graphql in a browser
  REDIS_URL      redis://host:6379: live events, rate limits and credential changes shared by every gateway process
  PUBLIC_URL     the gateway's public origin behind a proxy (https://api.example.com); paging URLs use it
  ALLOWED_HOSTS  without PUBLIC_URL, the Host values paging URLs may use (any, but none in production)
  REQUEST_TIMEOUT_MS             a request still open after this gets 503 or is cut (default 30000)
  DATABASE_CONNECT_TIMEOUT_MS    wait for a PostgreSQL connection at most this (default 3000)
  DATABASE_STATEMENT_TIMEOUT_MS  a statement may run at most this, serving (default 5000)
  MAX_SUBSCRIPTIONS_PER_ACCOUNT  open subscriptions per account and process (default 100)
  MAX_OPEN_REQUESTS_PER_ACCOUNT  open requests per account and process, subscriptions aside (default 100)
  SHUTDOWN_DRAIN_MS              on SIGTERM/SIGINT, wait this for requests in flight (default 10000)
  CREDENTIAL_CHECK_MS            a revoked key or rotated token stops working within this (default 5000)
  RETENTION_SWEEP_INTERVAL_SECONDS  how often expired sessions are deleted (default 3600)
  LOG_LEVEL      fatal, error, warn, info (default), debug, trace or silent; LOG_FORMAT json or pretty
  METRICS        "false" turns /metrics off; METRICS_PORT serves it on a port of its own
  GRAPHQL_TRUSTED_DOCUMENTS  a persisted-documents.json: GraphQL runs only the documents it lists
`;

/** Each command loads only the modules it needs: an import does not pay for the web server. */
const commands: Record<string, () => Promise<{ run(args: string[], configuration: Configuration): Promise<number> }>> = {
  serve: () => import('./commands/serve.js'),
  migrate: () => import('./commands/migrate.js'),
  account: () => import('./commands/account.js'),
  import: () => import('./commands/import.js'),
  export: () => import('./commands/export.js'),
  key: () => import('./commands/key.js'),
  erase: () => import('./commands/erase.js'),
  'migration-new': () => import('./commands/migration-new.js'),
};

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[]): Promise<number> {
  const [first = 'serve', ...rest] = argv;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`conversation-gateway ${version()}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(rest[0] && commandUsage[rest[0]] ? commandUsage[rest[0]] : usage);
    return 0;
  }
  // `serve` is the default: `conversation-gateway --port 5000` serves on 5000.
  const [name, args] = first.startsWith('-') ? ['serve', argv] : [first, rest];
  const command = commands[name];
  if (!command) {
    process.stderr.write(`conversation-gateway: unknown command "${name}"; run conversation-gateway --help for the commands\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(commandUsage[name]!);
    return 0;
  }
  try {
    // Read once, before the command opens anything: a wrong setting stops it here, naming the variable.
    const configuration = configurationFromEnv();
    return await (await command()).run(args, configuration);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`conversation-gateway: ${error.message}\n\n${commandUsage[error.command ?? name]}`);
      return 2;
    }
    if (error instanceof GatewayError) {
      process.stderr.write(`conversation-gateway: ${error.message}\n`);
      return exitCodeOf[error.code];
    }
    throw error;
  }
}
