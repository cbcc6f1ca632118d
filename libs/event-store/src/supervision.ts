import { setTimeout as sleep } from 'node:timers/promises';

export interface SupervisorOptions {
  /** Pause after the first failure; doubles with each failure in a row. Default 500 ms. */
  retryDelayMs?: number;
  /** The longest pause between two runs. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Stop for good after this many failures in a row (or a failure `isFatal` names). Default: never. */
  giveUpAfterFailures?: number;
  isFatal?: (failure: unknown) => boolean;
  /** A failure that is part of normal operation (another instance moved a checkpoint): run again at once. */
  resumesAtOnce?: (failure: unknown) => boolean;
  log?: (message: string, error?: unknown) => void;
}

export interface SupervisionStatus {
  name: string;
  /** False once stopped or given up. */
  running: boolean;
  gaveUp: boolean;
  /** Runs started again after one ended. */
  restarts: number;
  consecutiveFailures: number;
  lastError: string | null;
  /** Events the work has not handled yet (capped by whoever measures it); null when unknown. */
  lagEvents: number | null;
}

/** What /metrics and /health read: every supervised piece of work of this process. */
export interface Supervised {
  readonly name: string;
  supervisionStatus(withLag: boolean): Promise<SupervisionStatus>;
}

const supervisedInThisProcess = new Set<Supervised>();

/**
 * The statuses of everything supervised in this process (subscriptions, projections, engines);
 * `withLag: false` skips measuring the lag (a read of the log each).
 */
export async function supervisionStatuses({ withLag = true } = {}): Promise<SupervisionStatus[]> {
  return Promise.all([...supervisedInThisProcess].map((work) => work.supervisionStatus(withLag)));
}

/**
 * Keeps one long-running piece of work (a subscription, a projection, an engine) running: each
 * run resolves with what ended it (null: a clean end); a run that failed is started again after a
 * pause that doubles with each failure in a row (`succeeded()` resets it), until `stop()`, a fatal
 * failure or too many failures. The one restart policy of every subscription in the exchange.
 */
export class Supervisor {
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;
  private restarts = 0;
  private consecutiveFailures = 0;
  private lastError: unknown = null;
  private finished = false;
  private gaveUp = false;

  constructor(
    readonly name: string,
    private readonly options: SupervisorOptions = {},
  ) {}

  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /**
   * Runs `attempt` again and again; resolves with the failure that made it give up, or null once
   * stopped. `measureLag` (optional) tells /metrics how far behind the work is.
   */
  start(attempt: () => Promise<unknown>, measureLag?: () => Promise<number | null>): Promise<unknown> {
    const watched: Supervised = {
      name: this.name,
      supervisionStatus: async () => ({
        ...this.status(),
        lagEvents: this.finished ? null : ((await measureLag?.().catch(() => null)) ?? null),
      }),
    };
    supervisedInThisProcess.add(watched);
    const outcome = this.loop(attempt).finally(() => supervisedInThisProcess.delete(watched));
    this.running = outcome.then(() => undefined);
    return outcome;
  }

  /** The work made progress: the next failure waits the shortest pause again. */
  succeeded(): void {
    this.consecutiveFailures = 0;
    this.lastError = null;
  }

  status(): Omit<SupervisionStatus, 'lagEvents'> {
    return {
      name: this.name,
      running: !this.finished,
      gaveUp: this.gaveUp,
      restarts: this.restarts,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError === null ? null : describeError(this.lastError),
    };
  }

  get failure(): unknown {
    return this.lastError;
  }

  /** Ends the loop; the caller stops the current run (its `attempt` must then resolve). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(attempt: () => Promise<unknown>): Promise<unknown> {
    const {
      retryDelayMs = 500,
      maxRetryDelayMs = 30_000,
      giveUpAfterFailures = Infinity,
      log,
    } = this.options;
    let outcome: unknown = null;
    for (let first = true; !this.stopping.signal.aborted; first = false) {
      if (!first) this.restarts += 1;
      let failure: unknown;
      try {
        failure = await attempt();
      } catch (error) {
        failure = error;
      }
      if (this.stopping.signal.aborted) break;
      failure ??= new Error(`${this.name} ended on its own`);
      if (this.options.resumesAtOnce?.(failure)) {
        log?.(`${this.name}: ${describeError(failure)}; resuming at once`);
        continue;
      }
      this.lastError = failure;
      this.consecutiveFailures += 1;
      if (this.options.isFatal?.(failure) || this.consecutiveFailures >= giveUpAfterFailures) {
        log?.(`${this.name} gave up`, failure);
        this.gaveUp = true;
        outcome = failure;
        break;
      }
      const delay = Math.min(retryDelayMs * 2 ** (this.consecutiveFailures - 1), maxRetryDelayMs);
      log?.(`${this.name} failed; restarting in ${delay} ms`, failure);
      await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
    this.finished = true;
    return outcome;
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export interface PeriodicWork {
  /** Resolves after the first run (whether it succeeded or not). */
  readonly firstRun: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs `task` now and then every `everyMs` until stopped; a failed run is logged and tried again
 * the next period, so a reconciliation never stops for good.
 */
export function runPeriodically(
  name: string,
  everyMs: number,
  task: () => Promise<unknown>,
  log?: (message: string, error?: unknown) => void,
): PeriodicWork {
  const stopping = new AbortController();
  let markFirstRun!: () => void;
  const firstRun = new Promise<void>((resolve) => (markFirstRun = resolve));
  const running = (async () => {
    while (!stopping.signal.aborted) {
      await task().catch((error: unknown) => log?.(`${name} failed; trying again in ${everyMs} ms`, error));
      markFirstRun();
      await sleep(everyMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  return {
    firstRun,
    stop: async () => {
      stopping.abort();
      markFirstRun();
      await running;
    },
  };
}
