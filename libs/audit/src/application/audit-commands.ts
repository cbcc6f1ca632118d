import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ReadModelChecks, type ReadModelCheck } from './read-model-check.js';
import type { ReplayProof } from './replay-proof.js';
import type { ReplayRun } from './replay-run.js';

/*
 * The auditor's tools that do work rather than read: each runs a replay or a rebuild in scratch
 * space, so none changes the log or the live read models, but each holds the deployment's replay
 * lock, a process or scratch tables while it runs.
 *
 * The replay handlers only drive the replay machinery: they are adapters, in
 * infrastructure/replay-handlers.ts. The handlers here are the ones with work of their own.
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

@CommandHandler(VerifyReadModels)
export class VerifyReadModelsHandler implements ICommandHandler<VerifyReadModels> {
  constructor(private readonly readModels: ReadModelChecks) {}

  async execute(): Promise<{ equal: boolean; projections: ReadModelCheck[] }> {
    const projections = await this.readModels.checkAll();
    return { equal: projections.every((p) => p.equal), projections };
  }
}

/** The handlers declared here; the replay commands' are infrastructure/replay-handlers.ts's. */
export const auditCommandHandlers = [VerifyReadModelsHandler];
