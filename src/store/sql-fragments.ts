import { Prisma } from './generated/prisma/client.js';

/**
 * The most values one keptOnce (or builtOnce) function keeps. A page's column list follows the
 * fields a client's document names (any of 2^19 subsets), and the fragments of all of them, kept
 * for good, would be over a gigabyte a client could make a process hold by sending documents.
 * Beyond these, a value is built each time it is asked for, as rows.ts runs the statement texts
 * beyond the ones it keeps unprepared.
 */
export const MAX_KEPT_FRAGMENTS = 1024;

/**
 * `build` made into a function whose value is built once for each distinct arguments and kept,
 * for the first MAX_KEPT_FRAGMENTS distinct arguments.
 */
export function keptOnce<Args extends readonly (string | readonly string[])[], T>(build: (...args: Args) => T): (...args: Args) => T {
  const built = new Map<string, T>();
  return (...args) => {
    const key = args.map((arg) => (typeof arg === 'string' ? arg : arg.join(','))).join('|');
    let value = built.get(key);
    if (value === undefined) {
      value = build(...args);
      if (built.size < MAX_KEPT_FRAGMENTS) built.set(key, value);
    }
    return value;
  };
}

/**
 * `build` made into a function whose fragment is built once for each distinct arguments and kept
 * (keptOnce): a page's statement names the same few aliases and column lists on every request, and
 * building their text anew each time was a share of the read path's garbage.
 */
export function builtOnce<Args extends readonly (string | readonly string[])[]>(build: (...args: Args) => string): (...args: Args) => Prisma.Sql {
  return keptOnce((...args: Args) => Prisma.raw(build(...args)));
}
