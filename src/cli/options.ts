import { parseArgs } from 'node:util';

/** Options a command does not take are an error, not silently ignored. */
export function noOptions(args: string[]): void {
  parseArgs({ args, options: {} });
}
