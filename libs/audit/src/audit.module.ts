import { Module, type DynamicModule } from '@nestjs/common';
import { AuditTimelines } from './application/timeline.js';
import { AuditController } from './api/audit.controller.js';
import { ReadModelChecks } from './application/read-model-check.js';
import { DisputeReports } from './application/dispute-report.js';
import { AllocationExplanations } from './application/allocation-explanation.js';
import { SEALED_TEXT_OPENER } from './application/lead-texts.js';
import { VaultSealedTextOpener } from './infrastructure/vault-sealed-text-opener.js';

/**
 * Auditors' tools over the log. Host `auditIndexProjection` in the same app (PlatformModule).
 * Without `forRoot`, a dispute's sealed texts (evidence, statements) show as sealed.
 */
@Module({
  controllers: [AuditController],
  providers: [AuditTimelines, ReadModelChecks, DisputeReports, AllocationExplanations],
  exports: [AuditTimelines],
})
export class AuditModule {
  /** With the vault: the auditor reads a dispute's evidence and statements until the lead is erased. */
  static forRoot(vault: { databaseUrl: string; masterKey: string }): DynamicModule {
    return {
      module: AuditModule,
      providers: [
        {
          provide: SEALED_TEXT_OPENER,
          useFactory: () => VaultSealedTextOpener.connect(vault.databaseUrl, vault.masterKey),
        },
      ],
    };
  }
}
