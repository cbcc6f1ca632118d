import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { registerScrapedGauge } from '#lx/http';

/**
 * The ledger on /metrics, read from its read model on every scrape: allocations by transfer status
 * and the imbalance per currency, which double entry keeps at 0 (anything else is a defect to page on).
 */
@Injectable()
export class LedgerMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly unregister: (() => void)[] = [];

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.unregister.push(
      registerScrapedGauge({
        name: 'lx_allocations',
        help: 'Allocations (lead sales) by currency and transfer status: pending (return window open), posted, voided (refunded)',
        labelNames: ['currency', 'status'],
        read: async () => {
          const rows: { currency: string; status: string; count: string }[] = await this.dataSource.query(
            'SELECT currency, status, count(*) AS count FROM ledger_transfer GROUP BY currency, status',
          );
          return rows.map(({ currency, status, count }) => ({
            labels: { currency, status },
            value: Number(count),
          }));
        },
      }),
      registerScrapedGauge({
        name: 'lx_ledger_imbalance',
        help: 'Sum of all ledger balances per currency, in minor units; double entry keeps it at 0',
        labelNames: ['currency'],
        read: async () => {
          const rows: { currency: string; sum: string }[] = await this.dataSource.query(
            'SELECT currency, sum(balance) AS sum FROM ledger_account GROUP BY currency',
          );
          return rows.map(({ currency, sum }) => ({ labels: { currency }, value: Number(sum) }));
        },
      }),
    );
  }

  onApplicationShutdown(): void {
    for (const unregister of this.unregister.splice(0)) unregister();
  }
}
