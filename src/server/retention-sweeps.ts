import { asGatewayError } from '../errors.js';
import type { MessageEvents } from '../live/message-events.js';
import type { PrismaClient } from '../store/database.js';
import { noSweepTotals, sweepExpiredSessions, tryRetentionSweepLock, type RetentionSweepLock } from '../store/retention.js';
import type { Observability, RetentionSweepDeleted } from './observability.js';

export interface RetentionSweepsOptions {
  prisma: PrismaClient;
  /** The PostgreSQL the gateways share (the sweep lock is taken there); none on the embedded database. */
  databaseUrl?: string;
  /** How long to wait for the lock's connection. */
  connectMs: number;
  /** RETENTION_SWEEP_INTERVAL_SECONDS, in milliseconds. */
  intervalMs: number;
  observability: Observability;
  events: Pick<MessageEvents, 'published'>;
}

/** The first sweep waits this long after start (or one interval, when that is shorter): the start itself is not held up. */
const FIRST_SWEEP_MS = 10_000;
/** Sessions deleted per transaction. */
const BATCH_SIZE = 500;

const nothing: RetentionSweepDeleted = { sessions: 0, messages: 0, sources: 0 };

/**
 * Sweeps away expired sessions (see `sweepExpiredSessions`) soon after start, then every interval,
 * each round timed from the end of the one before, so a process never runs two at once. A round
 * takes the database's sweep lock first; when another gateway holds it, the round is skipped (that
 * gateway is doing the work). Each round is counted in /metrics and logged as one line: "retention
 * sweep" with when it started and ended (both while the lock was held) and what it deleted,
 * "retention sweep skipped", or "retention sweep failed" (a warning; the next round tries again).
 */
export function startRetentionSweeps(options: RetentionSweepsOptions): { stop(): Promise<void> } {
  const { observability, intervalMs } = options;
  const { log } = observability;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const round = async () => {
    let lock: RetentionSweepLock | null;
    try {
      lock = await tryRetentionSweepLock(options.databaseUrl, options.connectMs);
    } catch (error) {
      observability.retentionSwept('failed', nothing);
      return log.warn({ error: asGatewayError(error).message }, 'retention sweep failed');
    }
    if (!lock) {
      observability.retentionSwept('skipped', nothing);
      return log.info({ reason: 'another gateway is sweeping' }, 'retention sweep skipped');
    }
    const startedAt = new Date();
    const totals = noSweepTotals();
    try {
      await sweepExpiredSessions(options.prisma, totals, {
        batchSize: BATCH_SIZE,
        beforeBatch: () => {
          lock.check();
          return !stopped;
        },
        events: options.events,
      });
      const endedAt = new Date();
      observability.retentionSwept('swept', totals);
      log.info({ startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(), durationMs: endedAt.getTime() - startedAt.getTime(), ...totals }, 'retention sweep');
    } catch (error) {
      observability.retentionSwept('failed', totals);
      log.warn({ startedAt: startedAt.toISOString(), error: asGatewayError(error).message, ...totals }, 'retention sweep failed');
    } finally {
      await lock.release();
    }
  };

  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      running = round().finally(() => {
        running = undefined;
        if (!stopped) schedule(intervalMs);
      });
    }, ms);
  };
  schedule(Math.min(FIRST_SWEEP_MS, intervalMs));

  return {
    /** No round starts any more; one under way stops before its next batch. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
