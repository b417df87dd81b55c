import { GatewayError } from './errors.js';

type Env = Record<string, string | undefined>;

/** A positive whole number from the environment (a timeout in ms, a count, a limit), or the default when unset. */
export function positiveIntegerFromEnv(env: Env, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new GatewayError('invalid_configuration', `${name} must be a positive whole number, not "${text}"`);
  return value;
}

/** "true" or "false" from the environment, or the default when unset. */
export function flagFromEnv(env: Env, name: string, fallback: boolean): boolean {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (text !== 'true' && text !== 'false') throw new GatewayError('invalid_configuration', `${name} must be "true" or "false", not "${text}"`);
  return text === 'true';
}
