import { Module, type DynamicModule } from '@nestjs/common';
import type { ExchangeConfig } from '#lx/config';
import { PlatformModule } from '#lx/platform';
import { AccessModule } from '#lx/access';

/** The clearing house: operator API today; matching, ledger, disputes and audit build on it. */
@Module({})
export class SettlementAppModule {
  static create(config: ExchangeConfig): DynamicModule {
    return {
      module: SettlementAppModule,
      imports: [
        PlatformModule.forRoot({ appName: 'settlement', config }),
        AccessModule.forRoot({ operatorApi: true, bootstrapOperatorKey: config.LX_OPERATOR_API_KEY }),
      ],
    };
  }
}
