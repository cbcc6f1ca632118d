import { Module, type DynamicModule } from '@nestjs/common';
import { vaultDatabaseUrl, type ExchangeConfig } from '#lx/config';
import { vaultMasterKeysOf } from '#lx/vault';
import { PlatformModule } from '#lx/platform';
import { AccessModule } from '#lx/access';
import { MatchingModule } from '#lx/matching';
import { AuthenticityModule, authenticityProjection } from '#lx/authenticity';
import { AuditModule, auditIndexProjection } from '#lx/audit';
import { LedgerModule, ledgerProjection, saleSourcesProjection } from '#lx/ledger';
import {
  ReturnsModule,
  pendingSettlementsProjection,
  returnFactsProjection,
  sellerHistoryProjection,
} from '#lx/returns';

/** The clearing house: operator API, matching, ledger, disputes and audit. */
@Module({})
export class SettlementAppModule {
  static create(config: ExchangeConfig): DynamicModule {
    return {
      module: SettlementAppModule,
      imports: [
        PlatformModule.forRoot({
          appName: 'settlement',
          config,
          projections: [
            auditIndexProjection,
            ledgerProjection,
            saleSourcesProjection,
            returnFactsProjection,
            pendingSettlementsProjection,
            sellerHistoryProjection,
            authenticityProjection,
          ],
        }),
        AccessModule.forRoot({
          operatorApi: true,
          queueBoard: true,
          bootstrapOperatorKey: config.LX_OPERATOR_API_KEY,
          keepBootstrapOperatorKey: config.LX_KEEP_BOOTSTRAP_OPERATOR_KEY,
        }),
        AuditModule.forRoot(
          {
            returnWindowMsOverride: config.LX_RETURN_WINDOW_MS,
          },
          { databaseUrl: vaultDatabaseUrl(config), masterKeys: vaultMasterKeysOf(config) },
        ),
        MatchingModule.forRoot(config),
        AuthenticityModule.forRoot({
          runWorkers: config.LX_SETTLEMENT_WORKERS,
          vault: { databaseUrl: vaultDatabaseUrl(config), masterKeys: vaultMasterKeysOf(config) },
        }),
        LedgerModule.forRoot(settlementWork(config)),
        ReturnsModule.forRoot({
          ...settlementWork(config),
          defaultDedupeWindowDays: config.LX_DEFAULT_DEDUPE_WINDOW_DAYS,
          returnCapWindowDays: config.LX_RETURN_CAP_WINDOW_DAYS,
          returnWindowMsOverride: config.LX_RETURN_WINDOW_MS,
          sellerResponseHours: config.LX_SELLER_RESPONSE_HOURS,
          sellerResponseMsOverride: config.LX_SELLER_RESPONSE_MS,
          disputeDecisionHours: config.LX_DISPUTE_DECISION_HOURS,
        }),
      ],
    };
  }
}

/** Where settlement's BullMQ work runs, from the configuration. */
function settlementWork(config: ExchangeConfig) {
  return {
    redisUrl: config.LX_REDIS_URL,
    redisPrefix: config.LX_REDIS_PREFIX,
    payoutCron: config.LX_PAYOUT_CRON,
    runWorkers: config.LX_SETTLEMENT_WORKERS,
    reconcileSchedulesEverySeconds: config.LX_SCHEDULE_RECONCILE_SECONDS,
  };
}
