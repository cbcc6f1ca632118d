import { Module } from '@nestjs/common';
import { AuditTimelines } from './application/timeline.js';
import { AuditController } from './api/audit.controller.js';
import { ReadModelChecks } from './application/read-model-check.js';
import { DisputeReports } from './application/dispute-report.js';
import { AllocationExplanations } from './application/allocation-explanation.js';

/** Auditors' tools over the log. Host `auditIndexProjection` in the same app (PlatformModule). */
@Module({
  controllers: [AuditController],
  providers: [AuditTimelines, ReadModelChecks, DisputeReports, AllocationExplanations],
  exports: [AuditTimelines],
})
export class AuditModule {}
