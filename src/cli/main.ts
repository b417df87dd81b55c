import { GatewayError, type ErrorCode } from '../errors.js';

/** Every domain error as the command line answers it: 2 for a usage mistake, 1 for anything else that failed. */
const exitCodeOf: Record<ErrorCode, number> = {
  not_found: 1,
  invalid_argument: 1,
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
  invalid_configuration: 1,
  internal: 1,
};

const usage = `conversation-gateway: a Relay GraphQL gateway over conversation history, with the
Twilio Conversation History and analytics REST APIs served alongside.

Usage:
  conversation-gateway [serve]                 start the gateway (the default)
  conversation-gateway migrate                 apply pending database migrations and exit
  conversation-gateway account create [--name NAME]
                                               create an account; prints {"accountSid","authToken"}
  conversation-gateway import --account AC… --format twilio|analytics [--session ID] [--json] FILE…
                                               import conversations (FILE "-" reads standard input):
                                               Twilio Conversation History pages (one, several in a
                                               row, or an array of them) or analytics message arrays
                                               (these need --session). Each file is stored whole or
                                               not at all; importing a file again changes nothing.
  conversation-gateway migration-new NAME      (development) write a migration for schema.prisma changes
  conversation-gateway --help                  show this help

Environment:
  DATABASE_URL   postgresql://user@host:5432/db; without it, embedded PGlite is used
  DATA_DIR       where the embedded database lives (default ./data)
  PORT           port to listen on (default 4000); HOST (default 0.0.0.0)
  NODE_ENV       "production" turns GraphiQL off unless GRAPHIQL=true
  GRAPHIQL       true or false: serve GraphiQL at /graphql in a browser
  REDIS_URL      redis://host:6379: live events reach subscribers on every gateway process
  PUBLIC_URL     the gateway's public origin behind a proxy (https://api.example.com); paging URLs use it
  REQUEST_TIMEOUT_MS             a request still running after this gets 503 (default 30000)
  DATABASE_CONNECT_TIMEOUT_MS    wait for a PostgreSQL connection at most this (default 3000)
  DATABASE_STATEMENT_TIMEOUT_MS  a statement may run at most this, serving (default 5000)
  MAX_SUBSCRIPTIONS_PER_ACCOUNT  open subscriptions per account and process (default 100)
  SHUTDOWN_DRAIN_MS              on SIGTERM/SIGINT, wait this for requests in flight (default 10000)
`;

/** Each command loads only the modules it needs: an import does not pay for the web server. */
const commands: Record<string, () => Promise<{ run(args: string[]): Promise<number> }>> = {
  serve: () => import('./commands/serve.js'),
  migrate: () => import('./commands/migrate.js'),
  account: () => import('./commands/account.js'),
  import: () => import('./commands/import.js'),
  'migration-new': () => import('./commands/migration-new.js'),
};

export async function main(argv: string[]): Promise<number> {
  const [name = 'serve', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(usage);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  try {
    return await (await command()).run(rest);
  } catch (error) {
    if (error instanceof GatewayError) {
      process.stderr.write(`conversation-gateway: ${error.message}\n`);
      return exitCodeOf[error.code];
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`conversation-gateway: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
