import { GatewayError } from '../errors.js';

/** The bytes of rows one request may hold when no setting says otherwise (MAX_READ_BYTES): 8 MiB, against a 256 MB heap. */
export const DEFAULT_MAX_READ_BYTES = 8 * 1024 * 1024;

/**
 * How many bytes of rows the readers serving one request (or one page of a stream) may still
 * hold: each page read is charged to it, and stops short of what would go past the limit. The
 * surface serving the request makes it from its settings and hands it to every read it makes.
 */
export class ReadBudget {
  /** Bytes of rows read so far. */
  held = 0;
  constructor(readonly limit: number) {}
  get remaining(): number {
    return Math.max(this.limit - this.held, 0);
  }
}

/** The answer to a read that would hold more than its budget, naming both figures. */
export function readBudgetExceeded(bytes: number, budget: ReadBudget): GatewayError {
  return new GatewayError(
    'limit_exceeded',
    `This request would hold ${bytes} bytes of messages, over the limit of ${budget.limit} (MAX_READ_BYTES): ask for smaller pages (first/last), fewer aliases, or fewer fields (text, content, meta, sources)`,
  );
}
