import { Module, type DynamicModule } from '@nestjs/common';
import { AuditTimelines } from './application/timeline.js';
import { AuditController } from './api/audit.controller.js';
import { ReadModelChecks } from './application/read-model-check.js';
import { AUDIT_OPTIONS, DisputeReports, type AuditOptions } from './application/dispute-report.js';
import { AllocationExplanations } from './application/allocation-explanation.js';

/** Auditors' tools over the log. Host `auditIndexProjection` in the same app (PlatformModule). */
@Module({})
export class AuditModule {
  static forRoot(options: AuditOptions): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController],
      providers: [
        { provide: AUDIT_OPTIONS, useValue: options },
        AuditTimelines,
        ReadModelChecks,
        DisputeReports,
        AllocationExplanations,
      ],
      exports: [AuditTimelines],
    };
  }
}
