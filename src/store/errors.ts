/** What went wrong, in words a caller can act on. Each API surface maps the code to its own error shape. */
export type StoreErrorCode =
  | 'not_found'
  | 'invalid_argument'
  | 'invalid_cursor'
  | 'unauthenticated'
  | 'conflict'
  | 'database_in_use'
  | 'invalid_configuration';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
