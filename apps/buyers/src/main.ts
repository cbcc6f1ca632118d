import 'reflect-metadata';
import { ensureDatabase, loadConfig } from '#lx/config';
import { startHttpApp } from '#lx/http';
import { BuyersAppModule } from './buyers.module.js';

const config = loadConfig();
await ensureDatabase(config.LX_DATABASE_URL);
await startHttpApp(BuyersAppModule.create(config), {
  title: 'Lead Exchange — buyers',
  description: 'Funds, purchase orders, purchased leads, returns and conversions for lead buyers.',
  port: config.LX_BUYERS_PORT,
  host: config.LX_HOST,
  maxBodyBytes: config.LX_MAX_BODY_BYTES,
  serveDocs: config.serveDocs,
});
