import { expect, it } from 'vitest';
import { builtOnce, keptOnce, MAX_KEPT_FRAGMENTS } from '../src/store/sql-fragments.js';

// A page's column list follows the fields a client's document names (any subset of 19 columns):
// what the page reader keeps of its statements' fragments must not grow with the documents sent.

it('keeps the values of its first MAX_KEPT_FRAGMENTS distinct arguments, and builds the others each time they are asked for', () => {
  const built: string[] = [];
  const typed = keptOnce((columns: readonly string[]) => {
    built.push(columns.join(','));
    return columns.map((column) => [column, 'value'] as const);
  });
  const sets = Array.from({ length: MAX_KEPT_FRAGMENTS + 100 }, (_, n) => [`c${n}`, 'text']);
  const first = sets.map((columns) => typed(columns));
  expect(built).toHaveLength(sets.length);
  built.length = 0;
  // Asked again, every one answers the same; those kept are the very values built first.
  const again = sets.map((columns) => typed(columns));
  expect(again).toEqual(first);
  expect(again.filter((value, n) => value === first[n])).toHaveLength(MAX_KEPT_FRAGMENTS);
  expect(built).toEqual(sets.slice(MAX_KEPT_FRAGMENTS).map((columns) => columns.join(',')));
});

it('builds a fragment as SQL text of its arguments, kept the same way', () => {
  let builds = 0;
  const columnList = builtOnce((alias: string, columns: readonly string[]) => (builds++, columns.map((column) => `${alias}."${column}"`).join(', ')));
  const sets = Array.from({ length: MAX_KEPT_FRAGMENTS + 10 }, (_, n) => [`c${n}`, 'text']);
  for (const columns of sets) columnList('i', columns);
  for (const columns of sets) expect(columnList('i', columns).sql).toBe(`i."${columns[0]}", i."text"`);
  expect(builds).toBe(sets.length + 10);
});
