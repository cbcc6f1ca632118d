import { Module, type DynamicModule } from '@nestjs/common';
import type { ExchangeConfig } from '#lx/config';
import { PlatformModule } from '#lx/platform';
import { AccessModule } from '#lx/access';
import { SellersLeadsModule, sellerReadModel } from '#lx/leads';

/** The sellers' API: batch upload, verification reports, listings, earnings. */
@Module({})
export class SellersAppModule {
  static create(config: ExchangeConfig): DynamicModule {
    return {
      module: SellersAppModule,
      imports: [
        PlatformModule.forRoot({
          appName: 'sellers',
          config,
          projections: [sellerReadModel],
          // The sellers' write side (uploads, verification) shares the process's pool: its 10.
          extraPoolConnections: 10,
        }),
        AccessModule.forRoot({
          operatorApi: false,
          bootstrapOperatorKey: config.LX_OPERATOR_API_KEY,
          keepBootstrapOperatorKey: config.LX_KEEP_BOOTSTRAP_OPERATOR_KEY,
        }),
        SellersLeadsModule.forRoot(config),
      ],
    };
  }
}
