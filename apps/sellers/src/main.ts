import 'reflect-metadata';
import { ensureDatabase, loadConfig } from '#lx/config';
import { startHttpApp } from '#lx/http';
import { SellersAppModule } from './sellers.module.js';

const config = loadConfig();
await ensureDatabase(config.LX_DATABASE_URL);
await startHttpApp(SellersAppModule.create(config), {
  title: 'Lead Exchange — sellers',
  description: 'Batch upload, verification reports, listings and earnings for lead sellers.',
  port: config.LX_SELLERS_PORT,
  host: config.LX_HOST,
  maxBodyBytes: config.LX_MAX_BODY_BYTES,
  serveDocs: config.serveDocs,
});
