import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { oneReplayAtATime } from '../infrastructure/one-replay-at-a-time.js';
import { ReplayRuns, type ReplayRun } from '../infrastructure/replay-runs.js';
import { replayInScratchProcess } from '../infrastructure/scratch-replay.js';
import { ReadModelChecks, type ReadModelCheck } from './read-model-check.js';
import type { ReplayProof } from './replay-proof.js';

/*
 * The auditor's tools that do work rather than read: each runs a replay or a rebuild in scratch
 * space, so none changes the log or the live read models, but each holds the deployment's replay
 * lock, a process or scratch tables while it runs.
 */

/** The replay proof, run now: every market's engine re-run over the log up to `upTo` (or its end). */
export class ProveReplay extends Command<ReplayProof> {
  constructor(readonly upTo?: string) {
    super();
  }
}

/** The replay proof as a background run, watched through its id. */
export class StartReplayRun extends Command<ReplayRun> {
  constructor(
    readonly requestedBy: string,
    readonly upTo?: string,
  ) {
    super();
  }
}

/** Rebuilds every read model of the settlement app into fresh tables and compares it with the live one. */
export class VerifyReadModels extends Command<{ equal: boolean; projections: ReadModelCheck[] }> {}

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

@CommandHandler(VerifyReadModels)
export class VerifyReadModelsHandler implements ICommandHandler<VerifyReadModels> {
  constructor(private readonly readModels: ReadModelChecks) {}

  async execute(): Promise<{ equal: boolean; projections: ReadModelCheck[] }> {
    const projections = await this.readModels.checkAll();
    return { equal: projections.every((p) => p.equal), projections };
  }
}

export const auditCommandHandlers = [ProveReplayHandler, StartReplayRunHandler, VerifyReadModelsHandler];
