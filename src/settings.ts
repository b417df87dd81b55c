import { GatewayError } from './errors.js';

/** A positive whole number from the environment (a timeout in ms, a count), or the default when unset. */
export function positiveIntegerFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new GatewayError('invalid_configuration', `${name} must be a positive whole number, not "${text}"`);
  return value;
}
