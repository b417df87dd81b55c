import { Prisma } from './generated/prisma/client.js';

/**
 * `build` made into a function whose fragment is built once for each distinct arguments and kept:
 * a page's statement names the same few aliases and column lists on every request, and building
 * their text anew each time was a share of the read path's garbage. Only for arguments drawn from
 * small fixed sets (aliases, lists of known columns): every distinct one is kept for good.
 */
export function builtOnce<Args extends readonly (string | readonly string[])[]>(build: (...args: Args) => string): (...args: Args) => Prisma.Sql {
  const built = new Map<string, Prisma.Sql>();
  return (...args) => {
    const key = args.map((arg) => (typeof arg === 'string' ? arg : arg.join(','))).join('|');
    let sql = built.get(key);
    if (!sql) built.set(key, (sql = Prisma.raw(build(...args))));
    return sql;
  };
}
