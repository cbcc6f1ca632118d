import { Module, type DynamicModule } from '@nestjs/common';
import type { VaultMasterKeys } from '#lx/vault';
import { auditCommandHandlers } from './application/audit-commands.js';
import { auditQueryHandlers } from './application/audit-queries.js';
import { AuditTimelines } from './application/timeline.js';
import { AuditController } from './api/audit.controller.js';
import { ReadModelChecks } from './application/read-model-check.js';
import { AUDIT_OPTIONS, DisputeReports, type AuditOptions } from './application/dispute-report.js';
import { AllocationExplanations } from './application/allocation-explanation.js';
import { AuditSearch } from './application/audit-search.js';
import { SEALED_TEXT_OPENER } from './application/lead-texts.js';
import { replayCommandHandlers, replayQueryHandlers } from './infrastructure/replay-handlers.js';
import { ReplayRuns } from './infrastructure/replay-runs.js';
import { VaultSealedTextOpener } from './infrastructure/vault-sealed-text-opener.js';

/**
 * Auditors' tools over the log. Host `auditIndexProjection` in the same app (PlatformModule).
 * With `vault`, the auditor reads a dispute's sealed evidence and statements until the lead is
 * erased; without it they show as sealed.
 */
@Module({})
export class AuditModule {
  static forRoot(
    options: AuditOptions,
    vault?: { databaseUrl: string; masterKeys: VaultMasterKeys },
  ): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController],
      providers: [
        { provide: AUDIT_OPTIONS, useValue: options },
        AuditTimelines,
        ReadModelChecks,
        DisputeReports,
        AllocationExplanations,
        AuditSearch,
        ReplayRuns,
        ...auditCommandHandlers,
        ...auditQueryHandlers,
        ...replayCommandHandlers,
        ...replayQueryHandlers,
        ...(vault
          ? [
              {
                provide: SEALED_TEXT_OPENER,
                useFactory: () => VaultSealedTextOpener.connect(vault.databaseUrl, vault.masterKeys),
              },
            ]
          : []),
      ],
      exports: [AuditTimelines],
    };
  }
}
