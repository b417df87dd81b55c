import { objectLiteralBuilder } from './object-builders.js';

/**
 * How a row's columns come back inside a JSON value a statement builds, where a statement answers
 * rows of another shape: as one JSON array of the values in a fixed order (no names, so less to
 * build and parse), int8 as text (JSON numbers stop at 2^53) parsed back to a bigint, timestamps as
 * milliseconds since 1970 made a Date, anything else as it is. Not a timestamp's text: PostgreSQL
 * writes it in the connection's TimeZone, and for times before a zone kept standard time with an
 * offset in seconds ("1850-06-01T07:03:58-04:56:02" in New York), which Date cannot read.
 */
export type JsonColumnType = 'bigint' | 'date' | 'value';
export type JsonColumns = readonly (readonly [string, JsonColumnType])[];

/** The expression for `columns` of `alias` as one JSON array, in their order, and `extra` expressions after them. */
export function jsonValuesSql(alias: string, columns: JsonColumns, { extra = [] }: { extra?: readonly string[] } = {}): string {
  const values = columns.map(([column, type]) => valueSql(`${alias}."${column}"`, type));
  return `json_build_array(${[...values, ...extra].join(', ')})`;
}

function valueSql(column: string, type: JsonColumnType): string {
  return type === 'bigint' ? `${column}::text` : type === 'date' ? `round(extract(epoch FROM ${column}) * 1000)` : column;
}

/** Each column type's value as the row's own would be, from the value its JSON holds. */
const TYPED: Record<JsonColumnType, (value: unknown) => unknown> = {
  bigint: (value) => (value === null ? null : BigInt(value as string)),
  date: (value) => (value === null ? null : new Date(value as number)),
  value: (value) => value,
};

/**
 * The function making an object of `columns` from `values` (a jsonValuesSql array, parsed), each
 * typed as the row's own would be (TYPED): one object literal (objectLiteralBuilder), made once for
 * the columns and kept by their list. Past MAX_BUILT_LISTS lists (a page's source columns follow
 * the fields a client's document names), a list gets a builder setting its keys one by one, which
 * costs no compilation.
 */
export function fromJsonValues(columns: JsonColumns): (values: readonly unknown[]) => Record<string, unknown> {
  let build = builders.get(columns);
  if (!build) {
    const typed = columns.map(([, type]) => TYPED[type]);
    const literal = built++ < MAX_BUILT_LISTS && objectLiteralBuilder<(v: readonly unknown[], t: typeof typed) => Record<string, unknown>>(columns.map(([column]) => column), ['v', 't'], (n) => `t[${n}](v[${n}])`);
    build = literal
      ? (values) => literal(values, typed)
      : (values) => {
          const object: Record<string, unknown> = {};
          columns.forEach(([column], n) => (object[column] = typed[n]!(values[n])));
          return object;
        };
    builders.set(columns, build);
  }
  return build;
}

const MAX_BUILT_LISTS = 1024;
let built = 0;
const builders = new WeakMap<JsonColumns, (values: readonly unknown[]) => Record<string, unknown>>();
