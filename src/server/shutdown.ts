import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GatewayError } from '../errors.js';
import type { OpenSubscriptions } from '../live/subscriptions.js';
import { noteCut } from './observability.js';

export interface RequestLifecycleOptions {
  /** Each request's deadline; a subscription's stream has none. */
  deadlineMs: number;
  /** What becomes of a request still open at its deadline. */
  expired(request: IncomingMessage, response: ServerResponse): void;
  /** The most requests one account may have open at once, its subscription streams aside. */
  maxOpenPerAccount: number;
}

/**
 * The requests a gateway is serving: each one bounded by a deadline (but subscription streams),
 * each account's bounded in number, and all of them drained at shutdown.
 */
export class RequestLifecycle {
  private readonly inFlight = new Set<ServerResponse>();
  private readonly openByAccount = new Map<string, Set<ServerResponse>>();
  private settled = () => {};
  draining = false;

  constructor(
    private readonly server: Server,
    private readonly subscriptions: OpenSubscriptions,
    private readonly options: RequestLifecycleOptions,
  ) {}

  track(request: IncomingMessage, response: ServerResponse): void {
    this.inFlight.add(response);
    if (this.draining) response.setHeader('connection', 'close');
    const timer = setTimeout(() => this.subscriptions.streamsOn(response) || this.options.expired(request, response), this.options.deadlineMs);
    response.once('close', () => {
      clearTimeout(timer);
      this.inFlight.delete(response);
      if (!this.draining) return;
      this.server.closeIdleConnections();
      if (!this.inFlight.size) this.settled();
    });
  }

  /**
   * Counts the request against its account's open requests, or refuses it (`rate_limited`) when
   * the account already holds as many as it may: slow readers and slow senders hold what they
   * hold until the deadline, and an account's own cannot outnumber this. A request that became a
   * subscription stream counts against the subscriptions' cap instead.
   */
  admit(accountSid: string, response: ServerResponse): void {
    let open = this.openByAccount.get(accountSid);
    if (!open) this.openByAccount.set(accountSid, (open = new Set()));
    for (const held of open) if (this.subscriptions.streamsOn(held)) open.delete(held);
    if (open.size >= this.options.maxOpenPerAccount) {
      throw new GatewayError('rate_limited', `Your account already has ${open.size} requests open on this server, the most it may; retry once one has ended`, 1);
    }
    open.add(response);
    response.once('close', () => {
      open.delete(response);
      if (!open.size && this.openByAccount.get(accountSid) === open) this.openByAccount.delete(accountSid);
    });
  }

  /**
   * Draining: `/ready` answers 503 and every response closes its connection, so a load balancer
   * takes the process out while nothing is refused; every event stream ends (its client receives
   * `complete`); the requests in flight, and any that still arrive, may finish until `drainMs`
   * have passed or none is left. Then the server stops listening and closes whatever is left:
   * those requests are logged as cut.
   */
  async shutdown(drainMs: number): Promise<void> {
    this.draining = true;
    for (const response of this.inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
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
    const closed = [new Promise<void>((resolve) => this.server.close(() => resolve()))];
    for (const response of this.inFlight) {
      noteCut(response.req, 'shutdown');
      // Its log line is written when it closes, which may come after the server's own close.
      closed.push(new Promise<void>((resolve) => response.once('close', () => resolve())));
    }
    this.server.closeAllConnections();
    await Promise.all(closed);
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
