import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { OpenSubscriptions } from '../live/subscriptions.js';

/**
 * An event stream under way: the client asked for one and its answer has started. It is meant to
 * stay open, so its deadline does not apply; a request that merely asks for one is held to it.
 */
function isStreaming(request: IncomingMessage, response: ServerResponse): boolean {
  return response.headersSent && (request.headers.accept ?? '').includes('text/event-stream');
}

/**
 * The requests a gateway is serving: each one bounded by a deadline (but event streams under
 * way), and all of them drained at shutdown.
 */
export class RequestLifecycle {
  private readonly inFlight = new Set<ServerResponse>();
  private settled = () => {};
  draining = false;

  constructor(
    private readonly server: Server,
    private readonly subscriptions: OpenSubscriptions,
    private readonly deadline: { ms: number; expired(request: IncomingMessage, response: ServerResponse): void },
  ) {}

  track(request: IncomingMessage, response: ServerResponse): void {
    this.inFlight.add(response);
    if (this.draining) response.setHeader('connection', 'close');
    const timer = setTimeout(() => isStreaming(request, response) || this.deadline.expired(request, response), this.deadline.ms);
    response.once('close', () => {
      clearTimeout(timer);
      this.inFlight.delete(response);
      if (!this.draining) return;
      this.server.closeIdleConnections();
      if (!this.inFlight.size) this.settled();
    });
  }

  /**
   * Stops accepting connections, ends every event stream (its client receives `complete`), lets
   * the requests in flight finish until `drainMs` have passed, then closes whatever is left.
   */
  async shutdown(drainMs: number): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    this.subscriptions.endAll();
    if (this.inFlight.size) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.settled = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs))),
      ]);
      clearTimeout(timer);
    }
    this.server.closeAllConnections();
    await closed;
  }
}

/** Resolves at the first SIGTERM or SIGINT; a second one ends the process at once. */
export function untilShutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first).off('SIGTERM', first);
      const again = (second: NodeJS.Signals) => {
        console.error(`${second} again: exiting without waiting for requests in flight`);
        process.exit(1);
      };
      process.once('SIGINT', again).once('SIGTERM', again);
      resolve(signal);
    };
    process.on('SIGINT', first).on('SIGTERM', first);
  });
}

/** Waits for `work` at most `ms`: closing a connection to a server that no longer answers must not hold up the exit. */
export async function atMost(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
