import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { comparePositions, formatPosition, type LogPosition } from '#lx/event-store';
import { readCheckpoint } from '#lx/projections';

/**
 * Waits until a read model has applied the log up to `position`, whichever process runs its
 * projection: a decision about an event must see at least the facts that preceded it.
 */
export async function waitForReadModel(
  dataSource: Pick<DataSource, 'query'>,
  schema: string,
  position: LogPosition,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    const stored = await readCheckpoint(dataSource, schema);
    if (stored?.position && comparePositions(stored.position, position) >= 0) return;
    if (Date.now() > deadline)
      throw new Error(`Read model ${schema} has not reached ${formatPosition(position)} in ${timeoutMs} ms`);
    await sleep(pause);
  }
}
