import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, formatPosition, type EventStore } from '#lx/event-store';
import { ProjectionsHost, rebuildProjection, type ProjectionComparison } from '#lx/projections';

export interface ReadModelCheck {
  projection: string;
  equal: boolean;
  position: string | null;
  eventsApplied: number;
  tables: ProjectionComparison['tables'];
}

/**
 * Rebuilds each read model this app hosts from the log into fresh tables (a dry run: nothing is
 * swapped) and compares them row by row with the live ones at the same log position.
 */
@Injectable()
export class ReadModelChecks {
  constructor(
    private readonly host: ProjectionsHost,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async checkAll(): Promise<ReadModelCheck[]> {
    const results: ReadModelCheck[] = [];
    for (const { projection, runner } of this.host.all()) {
      const outcome = await rebuildProjection({
        projection,
        store: this.store,
        dataSource: this.dataSource,
        live: runner,
        dryRun: true,
      });
      results.push({
        projection: projection.name,
        equal: outcome.comparison.equal,
        position: outcome.position ? formatPosition(outcome.position) : null,
        eventsApplied: outcome.eventsApplied,
        tables: outcome.comparison.tables,
      });
    }
    return results;
  }
}
