/**
 * How a row's columns come back inside a JSON value a statement builds (json_build_object), where
 * a statement answers rows of another shape: int8 as text (JSON numbers stop at 2^53) and parsed
 * back to a bigint, timestamps as text parsed back to a Date, anything else as it is.
 */
export type JsonColumnType = 'bigint' | 'date' | 'value';

/** The expression for `columns` of `alias` as one JSON object, each under its own name; `extra` pairs (name, expression) are added as they are. */
export function jsonObjectSql(alias: string, columns: readonly (readonly [string, JsonColumnType])[], extra: readonly (readonly [string, string])[] = []): string {
  const pairs = columns.map(([column, type]) => `'${column}', ${alias}."${column}"${type === 'bigint' ? '::text' : ''}`);
  return `json_build_object(${[...pairs, ...extra.map(([name, expression]) => `'${name}', ${expression}`)].join(', ')})`;
}

/** The value of each of `columns` in `json` (a jsonObjectSql object, parsed), typed as the row's own would be, into `into`. */
export function fromJsonColumns(json: Record<string, unknown>, columns: readonly (readonly [string, JsonColumnType])[], into: Record<string, unknown>): void {
  for (const [column, type] of columns) {
    const value = json[column];
    into[column] = value === null || value === undefined || type === 'value' ? (value ?? null) : type === 'bigint' ? BigInt(value as string) : new Date(value as string);
  }
}
