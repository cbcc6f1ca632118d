import { Module, type DynamicModule } from '@nestjs/common';
import type { ExchangeConfig } from '#lx/config';
import { PlatformModule } from '#lx/platform';
import { AccessModule } from '#lx/access';

/** The buyers' API: funds, purchase orders, purchased leads, returns, conversions. */
@Module({})
export class BuyersAppModule {
  static create(config: ExchangeConfig): DynamicModule {
    return {
      module: BuyersAppModule,
      imports: [
        PlatformModule.forRoot({ appName: 'buyers', config }),
        AccessModule.forRoot({ operatorApi: false, bootstrapOperatorKey: config.LX_OPERATOR_API_KEY }),
      ],
    };
  }
}
