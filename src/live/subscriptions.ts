import type { ServerResponse } from 'node:http';
import { GatewayError } from '../errors.js';
import type { Caller } from '../store/accounts.js';

/** One open subscription, as the gateway reaches it from outside its own event stream. */
export interface OpenSubscription {
  accountSid: string;
  /** The HTTP response the stream is written to, when it runs over HTTP: an event stream, exempt from the request deadline. */
  response?: ServerResponse;
  /** The credential the stream was opened with: it ends when that is withdrawn. */
  caller: Caller;
  /** The session (row id) the stream follows: it ends when that is deleted. */
  sessionPk?: bigint;
  /** Ends the stream (the client receives `complete`). */
  end(): void;
  /** Reads the store for anything not delivered yet (after live events may have been lost). */
  catchUp(): void;
}

/**
 * Every subscription open in this process: counted per account against a cap, ended all at once
 * at shutdown, and told to catch up when the event channel comes back from an outage.
 */
export class OpenSubscriptions {
  private readonly open = new Set<OpenSubscription>();
  private readonly perAccount = new Map<string, number>();
  /** Responses that carry a subscription: these, and only these, are event streams. */
  private readonly streams = new WeakSet<ServerResponse>();
  private ending = false;

  constructor(readonly maxPerAccount: number) {}

  /** Registers a subscription, or refuses it at the account's cap; the returned function releases it (once). */
  add(subscription: OpenSubscription): () => void {
    const count = this.perAccount.get(subscription.accountSid) ?? 0;
    if (count >= this.maxPerAccount) {
      throw new GatewayError(
        'limit_exceeded',
        `Your account already has ${count} open subscriptions, the most one gateway process serves an account; close one first`,
      );
    }
    this.open.add(subscription);
    this.perAccount.set(subscription.accountSid, count + 1);
    if (subscription.response) this.streams.add(subscription.response);
    // One that opens while the process shuts down ends at once, as those open before it did.
    if (this.ending) queueMicrotask(() => subscription.end());
    return () => {
      if (!this.open.delete(subscription)) return;
      const left = this.perAccount.get(subscription.accountSid)! - 1;
      if (left) this.perAccount.set(subscription.accountSid, left);
      else this.perAccount.delete(subscription.accountSid);
    };
  }

  /** Whether the response carries a subscription (whatever its request's `Accept` header said). */
  streamsOn(response: ServerResponse): boolean {
    return this.streams.has(response);
  }

  get size(): number {
    return this.open.size;
  }

  /** Ends every subscription, and any opened from now on. */
  endAll(): void {
    this.ending = true;
    for (const subscription of [...this.open]) subscription.end();
  }

  /**
   * Ends the account's subscriptions (its credentials changed: a token rotated, a key revoked).
   * Their clients reconnect with their last cursor, authenticated anew, and miss nothing.
   */
  endAccount(accountSid: string): void {
    for (const subscription of [...this.open]) if (subscription.accountSid === accountSid) subscription.end();
  }

  /**
   * Ends the streams (of one account, or of all) whose credential `withdrawn` finds no longer
   * accepted: a revoked key's, a rotated token's. Their clients reconnect with a credential that is.
   */
  async endWithdrawn(withdrawn: (callers: Caller[]) => Promise<Caller[]>, accountSid?: string): Promise<void> {
    const open = [...this.open].filter((subscription) => accountSid === undefined || subscription.accountSid === accountSid);
    if (!open.length) return;
    const refused = new Set(await withdrawn(open.map((subscription) => subscription.caller)));
    for (const subscription of open) if (refused.has(subscription.caller)) subscription.end();
  }

  /**
   * Ends the streams whose session `existing` no longer finds: deleted by a process whose
   * announcement did not reach this one (an erase run without Redis, an event lost in an outage).
   */
  async endDeleted(existing: (sessionPks: bigint[]) => Promise<bigint[]>): Promise<void> {
    const open = [...this.open].filter((subscription) => subscription.sessionPk !== undefined);
    if (!open.length) return;
    const found = new Set(await existing([...new Set(open.map((subscription) => subscription.sessionPk!))]));
    for (const subscription of open) if (!found.has(subscription.sessionPk!)) subscription.end();
  }

  catchUpAll(): void {
    for (const subscription of this.open) subscription.catchUp();
  }
}
