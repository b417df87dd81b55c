import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { GatewayError } from '../errors.js';

// Prisma's native schema engine is a download; its WebAssembly build ships in the registry
// package. Node 20 cannot import a .wasm module without a flag, so it is instantiated by hand.
type EngineModule = typeof import('@prisma/schema-engine-wasm');
let engineModule: Promise<EngineModule> | undefined;

function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bindingsUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bindings = await import(bindingsUrl);
    const bytes = await readFile(fileURLToPath(bindingsUrl).replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings as EngineModule;
  })();
  return engineModule;
}

export const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const schemaPath = path.join(projectRoot, 'prisma/schema.prisma');
export const migrationsDir = path.join(projectRoot, 'prisma/migrations');

const noFilters = { externalTables: [], externalEnums: [] };

async function openEngine(adapter: SqlMigrationAwareDriverAdapterFactory): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadEngineModule();
  const datamodel = await readFile(schemaPath, 'utf8');
  return SchemaEngine.new(
    { datamodels: [[schemaPath, datamodel]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
}

/** The migrations under prisma/migrations, oldest first: their directory names, nothing read. */
export async function migrationNames(): Promise<string[]> {
  return (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The migrations that cannot run in a transaction (they build an index CONCURRENTLY): one that fails may leave some of itself. */
export async function migrationsOutsideTransactions(): Promise<string[]> {
  const names = await migrationNames();
  const scripts = await Promise.all(names.map((name) => readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8')));
  return names.filter((_, n) => /\bCONCURRENTLY\b/.test(scripts[n]!.replace(/^--.*$/gm, '')));
}

async function readMigrations(): Promise<MigrationList> {
  const names = await migrationNames();
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: await readFile(lockPath, 'utf8').catch(() => null),
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

/**
 * Applies every migration under prisma/migrations that the database lacks, as `prisma migrate
 * deploy` does. One that fails is said in a line (the engine's own error carries its backtrace):
 * its script ran as one transaction (database.ts), so nothing of it stays; the engine records it
 * as failed, and the next start settles that record and applies it again (database.ts), unless it
 * is one of the few that cannot run in a transaction.
 */
export async function applyMigrations(adapter: SqlMigrationAwareDriverAdapterFactory, stranded: () => Promise<string | undefined>): Promise<string[]> {
  const engine = await openEngine(adapter);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrations(),
      filters: noFilters,
    });
    return appliedMigrationNames;
  } catch (error) {
    throw migrationFailed(error, await stranded());
  } finally {
    engine.free();
  }
}

/**
 * The engine's error in a line. `stranded`: the migration building an index outside a transaction
 * that the failure left unfinished, if any (the engine does not name the migration that failed).
 */
function migrationFailed(error: unknown, stranded: string | undefined): GatewayError {
  // The engine's message, without its backtrace ("   0: sql_schema_connector::…" and on) or its link.
  const lines = String(error instanceof Error ? error.message : error).split('\n');
  const end = lines.findIndex((line) => /^\s+\d+: /.test(line));
  const said = lines.slice(0, end === -1 ? undefined : end).map((line) => line.replace(/ Read more about .*$/, '').trim()).filter((line) => line && line !== 'external connector error').join(' ');
  // Refused for the record an earlier failure left.
  const failedBefore = /The `(\w+)` migration started at .* failed/.exec(said)?.[1];
  if (failedBefore) return failedOutsideTransaction(failedBefore);
  if (stranded) return failedOutsideTransaction(stranded, said);
  return new GatewayError('unavailable', `A database migration failed, and nothing of it was kept (a migration is one transaction; it is applied again at the next start): ${said}`);
}

/**
 * A migration that builds an index outside a transaction (migrationsOutsideTransactions) failed,
 * now (`cause`) or when it was last applied: what it left stays, and its record refuses every
 * start until an operator has cleared both.
 */
function failedOutsideTransaction(name: string, cause?: string): GatewayError {
  return new GatewayError(
    'unavailable',
    `The database's migration ${name} failed${cause ? ` (${cause})` : ' when it was last applied'}, and none is applied after it while its record says so. It builds an index outside a transaction: drop what it left (an index PostgreSQL marks invalid), mend its cause, remove its record (DELETE FROM _prisma_migrations WHERE migration_name = '${name}' AND finished_at IS NULL) and start again.`,
  );
}

/** Writes a new migration holding the SQL that takes the committed migrations to schema.prisma; null when nothing changed. */
export async function createMigration(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  name: string,
  now = new Date(),
): Promise<string | null> {
  const engine = await openEngine(adapter);
  try {
    const migrations = await readMigrations().catch(() => null);
    const { stdout } = await engine.diff({
      from: migrations?.migrationDirectories.length ? { tag: 'migrations', ...migrations } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    if (!stdout || !/^\s*[A-Z]/m.test(stdout.replace(/^--.*$/gm, ''))) return null;
    const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name.replace(/\W+/g, '_')}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'migration.sql'), stdout);
    await writeFile(
      path.join(migrationsDir, 'migration_lock.toml'),
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
    return dir;
  } finally {
    engine.free();
  }
}
