import type { DataSource } from 'typeorm';
import type { EventStore, LogPosition } from '#lx/event-store';
import { liveSchemaOf, rebuildSchemaOf, type Projection } from './projection.js';
import { dropProjectionSchema, readCheckpoint, swapInRebuiltSchema } from './projection-schema.js';
import { ProjectionRunner } from './projection-runner.js';
import { compareProjectionTables, type ProjectionComparison } from './compare-projection-tables.js';
import { RebuildInProgressError } from './errors.js';

export interface RebuildProjectionOptions {
  projection: Projection;
  store: EventStore;
  dataSource: DataSource;
  /**
   * The live runner of this process, if there is one. It is paused while the rebuild catches up
   * with it, is compared and swapped in, so it continues on the new tables without a restart.
   * Live runners elsewhere notice the swap through their checkpoint's compare-and-set.
   */
  live?: ProjectionRunner;
  /** Compare, then drop the rebuilt tables instead of swapping them in (an audit). */
  dryRun?: boolean;
  /** Keep the replaced schema as `rm_<name>__old_<n>` instead of dropping it. */
  keepOldSchema?: boolean;
  batchSize?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface RebuildReport {
  projection: string;
  /** Checkpoint of the rebuilt tables when they were swapped in (or dropped, in a dry run). */
  position: LogPosition | null;
  eventsApplied: number;
  /** The rebuilt tables against the live ones, taken just before the swap. */
  comparison: ProjectionComparison;
  swapped: boolean;
  /** The replaced schema, when kept. */
  keptSchema: string | null;
}

/**
 * Replays the whole log into fresh tables in `rm_<name>__next` with the same runner code, while
 * the live tables keep serving reads, then renames the schemas in one transaction.
 */
export async function rebuildProjection(options: RebuildProjectionOptions): Promise<RebuildReport> {
  const { projection, dataSource, live } = options;
  const liveSchema = liveSchemaOf(projection);
  const next = rebuildSchemaOf(projection);
  return withRebuildLock(dataSource, projection, async () => {
    await dropProjectionSchema(dataSource, projection, next); // what a crashed rebuild left behind
    const { store, batchSize, log } = options;
    const rebuild = await ProjectionRunner.start({
      projection,
      store,
      dataSource,
      batchSize,
      log,
      schema: next,
      giveUpAfterFailures: 3,
    });
    let pausedLive = false;
    try {
      await rebuild.caughtUp;
      if (live) {
        await live.pause();
        pausedLive = true;
        const target = live.position();
        if (target) await rebuild.waitForPosition(target);
      }
      await rebuild.stop();
      const comparison = await compareProjectionTables(dataSource, liveSchema, next);
      const stored = (await readCheckpoint(dataSource, next))!;
      let replaced: string | null = null;
      if (options.dryRun) await dropProjectionSchema(dataSource, projection, next);
      else replaced = await swapInRebuiltSchema(dataSource, projection, next);
      if (replaced && !options.keepOldSchema) await dropProjectionSchema(dataSource, projection, replaced);
      options.log?.(`projection ${projection.name} rebuilt: ${stored.eventsApplied} events`);
      return {
        projection: projection.name,
        position: stored.position,
        eventsApplied: stored.eventsApplied,
        comparison,
        swapped: !options.dryRun,
        keptSchema: options.keepOldSchema ? replaced : null,
      };
    } catch (error) {
      await rebuild.stop();
      await dropProjectionSchema(dataSource, projection, next).catch(() => undefined);
      throw error;
    } finally {
      if (pausedLive) live!.resume();
    }
  });
}

/** One rebuild per projection at a time, across processes: a session lock held on its own connection. */
async function withRebuildLock<T>(
  dataSource: DataSource,
  projection: Pick<Projection, 'name'>,
  work: () => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const keys = `hashtext('lx_projection_rebuild'), hashtext($1)`;
  try {
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(${keys}) AS locked`, [
      projection.name,
    ]);
    if (!locked) throw new RebuildInProgressError(projection.name);
    try {
      return await work();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${keys})`, [projection.name]);
    }
  } finally {
    await runner.release();
  }
}
