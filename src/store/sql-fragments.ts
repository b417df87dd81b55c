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

/** Whether kept statement texts are checked against the text built on every read (keptStatementTexts). */
let checkingKeptTexts = false;

/** Checks every kept statement text against the text built anew from now on: the test suite's setup turns it on. */
export function checkKeptStatementTexts(): void {
  checkingKeptTexts = true;
}

/**
 * A statement's text kept by its `shape`, a key naming everything its text depends on (never its
 * values): a page statement's text is some kilobytes, the same for every page of one shape, and
 * building it anew on every read (Prisma.Sql joins it on each read of `text`), then hashing it to
 * find its prepared statement, was a share of the read path's CPU. Under test
 * (checkKeptStatementTexts) every read builds the text as well and fails if the kept one differs,
 * so a shape key missing something its text depends on is caught by any test that reads two pages
 * of that key.
 */
export function keptStatementTexts(): (shape: string, statement: Prisma.Sql) => { text: string; values: unknown[] } {
  const texts = new Map<string, string>();
  return (shape, statement) => {
    let text = texts.get(shape);
    if (text === undefined) {
      text = statement.text;
      if (texts.size < MAX_KEPT_FRAGMENTS) texts.set(shape, text);
    } else if (checkingKeptTexts && text !== statement.text) {
      throw new Error(`The statement text kept for shape ${shape} is not the one built now:\n${text}\n---\n${statement.text}`);
    }
    return { text, values: statement.values };
  };
}
