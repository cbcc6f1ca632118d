import type { DataSource } from 'typeorm';
import type { EventStore } from '#lx/event-store';
import { compareProjectionTables, type ProjectionComparison } from '../compare-projection-tables.js';
import { liveSchemaOf, type Projection } from '../projection.js';
import { ProjectionRunner } from '../projection-runner.js';

export interface BatchedVersusPerEvent {
  /** Each batched copy against the copy built one event per transaction (`handle` only). */
  comparisons: { batchSize: number; comparison: ProjectionComparison }[];
  /** Transactions of several events that went through `handleBatch` and committed, per batch size. */
  batchesApplied: Record<number, number>;
  /** What the runners logged: a batch that failed and was applied event by event shows here. */
  log: string[];
}

/**
 * Builds a projection over the whole log three ways, each into a schema of its own beside the live
 * one: one event per transaction (its `handle`), and in pages of each of `batchSizes` (its
 * `handleBatch`, where it has one); then compares each paged copy with the first, row by row.
 */
export async function compareBatchedWithPerEvent(
  projection: Projection,
  store: EventStore,
  dataSource: DataSource,
  batchSizes: readonly number[] = [500, 7],
): Promise<BatchedVersusPerEvent> {
  const log: string[] = [];
  const batchesApplied: Record<number, number> = {};
  const build = async (schema: string, batchSize: number, eventsPerTransaction?: number) => {
    const handleBatch = projection.handleBatch;
    const counted: Projection = handleBatch
      ? {
          ...projection,
          handleBatch: async (events, manager) => {
            await handleBatch.call(projection, events, manager);
            batchesApplied[batchSize] = (batchesApplied[batchSize] ?? 0) + 1;
          },
        }
      : projection;
    const runner = await ProjectionRunner.start({
      projection: counted,
      store,
      dataSource,
      schema,
      batchSize,
      ...(eventsPerTransaction === undefined ? {} : { eventsPerTransaction }),
      pollIntervalMs: 50,
      giveUpAfterFailures: 1,
      log: (message, error) => log.push(`${message}${error ? `: ${String(error)}` : ''}`),
    });
    try {
      await runner.caughtUp;
    } finally {
      await runner.stop();
    }
  };
  const base = liveSchemaOf(projection);
  const perEvent = `${base}__t_event`;
  await build(perEvent, 500, 1);
  const comparisons = [];
  for (const batchSize of batchSizes) {
    const schema = `${base}__t_page${batchSize}`;
    await build(schema, batchSize);
    comparisons.push({ batchSize, comparison: await compareProjectionTables(dataSource, perEvent, schema) });
  }
  return { comparisons, batchesApplied, log };
}
