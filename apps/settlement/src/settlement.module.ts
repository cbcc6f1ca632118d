import { Module, type DynamicModule } from '@nestjs/common';
import type { ExchangeConfig } from '#lx/config';
import { PlatformModule } from '#lx/platform';
import { AccessModule } from '#lx/access';
import { AuditModule, auditIndexProjection } from '#lx/audit';

/** The clearing house: operator API, matching, ledger, disputes and audit. */
@Module({})
export class SettlementAppModule {
  static create(config: ExchangeConfig): DynamicModule {
    return {
      module: SettlementAppModule,
      imports: [
        PlatformModule.forRoot({ appName: 'settlement', config, projections: [auditIndexProjection] }),
        AccessModule.forRoot({ operatorApi: true, bootstrapOperatorKey: config.LX_OPERATOR_API_KEY }),
        AuditModule,
      ],
    };
  }
}
