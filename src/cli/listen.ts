import type { Server } from 'node:http';
import { GatewayError } from '../errors.js';
import { UsageError } from './usage.js';

/** Listens on `port` (a string as given on the command line or in PORT) and `host`; resolves with the URL to print. */
export async function listenOn(server: Server, portText: string, host: string): Promise<string> {
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`The port must be a number from 0 to 65535, not "${portText}"`, 'serve');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') {
      throw new GatewayError('unavailable', `Port ${port} on ${host} is in use by another program: stop it, or choose another port with --port or PORT`);
    }
    if (error.code === 'EACCES') throw new GatewayError('invalid_configuration', `Port ${port} on ${host} needs privileges this process lacks: choose a port above 1023 with --port or PORT`);
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
      throw new GatewayError('invalid_configuration', `${host} is not an address of this machine: choose another with --host or HOST (0.0.0.0 for every interface)`);
    }
    throw error;
  });
  const address = server.address();
  return `http://localhost:${typeof address === 'object' && address ? address.port : port}`;
}
