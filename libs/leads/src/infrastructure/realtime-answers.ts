import type pg from 'pg';
import { LeadPostOutcome, PingAnswered } from '#lx/contracts';
import type { EventStore, LogPosition, RecordedEvent, Subscription } from '#lx/event-store';
import type {
  AnswerWait,
  PingAnswerData,
  PostOutcomeData,
  RealtimeAnswers,
} from '../application/realtime/realtime-answers.port.js';

type Kind = 'outcome' | 'ping';
const SUBSCRIPTION = 'sellers-realtime-answers';

/**
 * The engines' answers (LeadPostOutcome, PingAnswered) as the sellers app reads them: one
 * subscription per process over `market-*`, woken by the event store's LISTEN/NOTIFY. Each answer
 * goes first to the request of this process waiting for it, then into `lx_realtime_answers` (for
 * a repeated post, GET …/outcome, and the other instances' requests that timed out). The read
 * position is kept with the answers; every instance writes the same rows, so they may share it.
 */
export class PostgresRealtimeAnswers implements RealtimeAnswers {
  private readonly waiters = new Map<string, Set<(answer: unknown) => void>>();
  private subscription: Subscription | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly pool: pg.Pool,
    private readonly log?: (message: string, error?: unknown) => void,
  ) {}

  start(): void {
    this.subscription = this.store.subscribePages(SUBSCRIPTION, (events) => this.handle(events), {
      filter: { streamCategories: ['market'], eventTypes: [LeadPostOutcome.type, PingAnswered.type] },
      checkpoint: { kind: 'external', load: () => this.readPosition() },
      batchSize: 500,
      pollIntervalMs: 200,
      onError: (error) => this.log?.('realtime answers: the subscription stopped', error),
    });
  }

  get caughtUp(): Promise<void> {
    return this.subscription?.caughtUp ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    for (const waiters of this.waiters.values()) for (const resolve of waiters) resolve(null);
    this.waiters.clear();
  }

  expectOutcome(leadId: string): AnswerWait<PostOutcomeData> {
    return this.expect<PostOutcomeData>(`outcome:${leadId}`);
  }

  expectPingAnswer(pingId: string): AnswerWait<PingAnswerData> {
    return this.expect<PingAnswerData>(`ping:${pingId}`);
  }

  outcome(leadId: string): Promise<PostOutcomeData | null> {
    return this.read<PostOutcomeData>('outcome', leadId);
  }

  pingAnswer(pingId: string): Promise<PingAnswerData | null> {
    return this.read<PingAnswerData>('ping', pingId);
  }

  private expect<T>(key: string): AnswerWait<T> {
    let resolve!: (answer: unknown) => void;
    const answered = new Promise<T | null>((done) => (resolve = (answer) => done(answer as T | null)));
    let waiters = this.waiters.get(key);
    if (!waiters) this.waiters.set(key, (waiters = new Set()));
    waiters.add(resolve);
    const cancel = () => {
      const set = this.waiters.get(key);
      set?.delete(resolve);
      if (set?.size === 0) this.waiters.delete(key);
    };
    return {
      wait: async (timeoutMs) => {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<null>((done) => (timer = setTimeout(() => done(null), timeoutMs)));
        try {
          return await Promise.race([answered, timedOut]);
        } finally {
          clearTimeout(timer);
          cancel();
        }
      },
      cancel: () => {
        cancel();
        resolve(null);
      },
    };
  }

  private async handle(events: readonly RecordedEvent[]): Promise<void> {
    const rows: { kind: Kind; id: string; sellerId: string; answer: unknown }[] = [];
    for (const event of events) {
      const data = event.data as { leadId?: string; pingId?: string; sellerId: string };
      const kind: Kind = event.type === LeadPostOutcome.type ? 'outcome' : 'ping';
      const id = kind === 'outcome' ? data.leadId! : data.pingId!;
      // The waiting request first: the table is for later reads.
      const waiters = this.waiters.get(`${kind}:${id}`);
      if (waiters) for (const resolve of waiters) resolve(event.data);
      rows.push({ kind, id, sellerId: data.sellerId, answer: event.data });
    }
    const last = events.at(-1)!.position;
    await this.pool.query(
      `WITH answers AS (
         INSERT INTO lx_realtime_answers (kind, id, seller_id, answer)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
         ON CONFLICT (kind, id) DO NOTHING)
       INSERT INTO lx_realtime_answers_read (name, commit, prepare) VALUES ($5, $6, $7)
       ON CONFLICT (name) DO UPDATE SET commit = excluded.commit, prepare = excluded.prepare`,
      [
        rows.map((row) => row.kind),
        rows.map((row) => row.id),
        rows.map((row) => row.sellerId),
        rows.map((row) => JSON.stringify(row.answer)),
        SUBSCRIPTION,
        last.commit.toString(),
        last.prepare.toString(),
      ],
    );
  }

  private async readPosition(): Promise<LogPosition | null> {
    const { rows } = await this.pool.query<{ commit: string; prepare: string }>(
      'SELECT commit, prepare FROM lx_realtime_answers_read WHERE name = $1',
      [SUBSCRIPTION],
    );
    const row = rows[0];
    return row ? { commit: BigInt(row.commit), prepare: BigInt(row.prepare) } : null;
  }

  private async read<T>(kind: Kind, id: string): Promise<T | null> {
    const { rows } = await this.pool.query<{ answer: T }>(
      'SELECT answer FROM lx_realtime_answers WHERE kind = $1 AND id = $2',
      [kind, id],
    );
    return rows[0]?.answer ?? null;
  }
}
