import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ProveReplay, StartReplayRun } from '../application/audit-commands.js';
import { GetReplayRun, ListReplayRuns } from '../application/audit-queries.js';
import type { ReplayProof } from '../application/replay-proof.js';
import type { ReplayRun } from '../application/replay-run.js';
import { oneReplayAtATime } from './one-replay-at-a-time.js';
import { ReplayRuns } from './replay-runs.js';
import { replayInScratchProcess } from './scratch-replay.js';

/*
 * The handlers of the auditor's replay commands and queries. Each only drives the replay machinery
 * (the deployment's replay lock, the scratch process, the runs table), so each is an adapter and
 * lives here, next to what it drives (docs/architecture.md §1); the messages are the application's.
 */

@CommandHandler(ProveReplay)
export class ProveReplayHandler implements ICommandHandler<ProveReplay> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ upTo }: ProveReplay): Promise<ReplayProof> {
    return oneReplayAtATime(
      async () => {
        const session = this.dataSource.createQueryRunner();
        await session.connect();
        return session;
      },
      () => replayInScratchProcess(upTo),
    );
  }
}

@CommandHandler(StartReplayRun)
export class StartReplayRunHandler implements ICommandHandler<StartReplayRun> {
  constructor(private readonly runs: ReplayRuns) {}

  execute({ requestedBy, upTo }: StartReplayRun): Promise<ReplayRun> {
    return this.runs.start(requestedBy, upTo);
  }
}

@QueryHandler(ListReplayRuns)
export class ListReplayRunsHandler implements IQueryHandler<ListReplayRuns> {
  constructor(private readonly runs: ReplayRuns) {}

  execute({ limit }: ListReplayRuns): Promise<ReplayRun[]> {
    return this.runs.recent(limit);
  }
}

@QueryHandler(GetReplayRun)
export class GetReplayRunHandler implements IQueryHandler<GetReplayRun> {
  constructor(private readonly runs: ReplayRuns) {}

  execute({ runId }: GetReplayRun): Promise<ReplayRun | null> {
    return this.runs.get(runId);
  }
}

/** The replay commands' and queries' handlers, for the module to register. */
export const replayCommandHandlers = [ProveReplayHandler, StartReplayRunHandler];
export const replayQueryHandlers = [ListReplayRunsHandler, GetReplayRunHandler];
