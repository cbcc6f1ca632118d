import { Module, type DynamicModule } from '@nestjs/common';
import { vaultDatabaseUrl, type ExchangeConfig } from '#lx/config';
import { PlatformModule } from '#lx/platform';
import { AccessModule } from '#lx/access';
import { BuyersModule, buyersProjections, PERSONAL_DATA_READER, VaultPersonalDataReader } from '#lx/buyers';
import { vaultMasterKeysOf } from '#lx/vault';

/** The buyers' API: funds, purchase orders, purchased leads, returns, conversions. */
@Module({})
export class BuyersAppModule {
  static create(config: ExchangeConfig): DynamicModule {
    return {
      module: BuyersAppModule,
      imports: [
        // The buyers app builds and serves its read models (the host runs their projections).
        PlatformModule.forRoot({ appName: 'buyers', config, projections: buyersProjections }),
        AccessModule.forRoot({
          operatorApi: false,
          bootstrapOperatorKey: config.LX_OPERATOR_API_KEY,
          keepBootstrapOperatorKey: config.LX_KEEP_BOOTSTRAP_OPERATOR_KEY,
        }),
        BuyersModule.forRoot({
          redisUrl: config.LX_REDIS_URL,
          redisPrefix: config.LX_REDIS_PREFIX,
          webhookSigningKey: config.LX_WEBHOOK_SIGNING_KEY,
          webhookAttempts: config.LX_WEBHOOK_ATTEMPTS,
          webhookBackoffMs: config.LX_WEBHOOK_BACKOFF_MS,
          webhookTimeoutMs: config.LX_WEBHOOK_TIMEOUT_MS,
          webhookReconcileMs: config.LX_WEBHOOK_RECONCILE_SECONDS * 1000,
          webhookTargets: {
            allowPrivate: config.LX_WEBHOOK_ALLOW_PRIVATE_TARGETS,
            requireHttps: config.deployment,
          },
          defaultCurrency: config.LX_DEFAULT_CURRENCY,
          runBackgroundWork: config.LX_BUYERS_BACKGROUND_WORK,
          personalDataReader: {
            provide: PERSONAL_DATA_READER,
            useFactory: () =>
              VaultPersonalDataReader.connect(vaultDatabaseUrl(config), vaultMasterKeysOf(config)),
          },
        }),
      ],
    };
  }
}
