import type { DataSource } from 'typeorm';
import type { EventStore } from '#lx/event-store';
import type { Projection } from '../projection.js';
import { ProjectionRunner } from '../projection-runner.js';

/**
 * A projection run as the int specs run one: on the suite's store and DataSource, polling every
 * 50 ms so that an appended event reaches the read model within the test's patience.
 */
export function runProjection(
  projection: Projection,
  store: EventStore,
  dataSource: DataSource,
): Promise<ProjectionRunner> {
  return ProjectionRunner.start({ projection, store, dataSource, pollIntervalMs: 50 });
}
