import { z } from 'zod';
import { GatewayError } from '../errors.js';

/**
 * Checks a value against a schema and names the offending item and field when it does not fit:
 * `messages[12].role: Invalid option: expected one of "user"|"assistant"|…`.
 */
export function parseOrExplain<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    return `${where}${path}: ${issue.message}`;
  });
  throw new GatewayError('invalid_argument', problems.join('; '));
}

export const isoDateTime = z.iso.datetime({ offset: true, message: 'expected an ISO 8601 date-time such as 2025-01-01T10:00:00Z' });
export const jsonObject = z.record(z.string(), z.unknown(), { message: 'expected a JSON object' });
