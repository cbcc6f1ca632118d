import 'reflect-metadata';
import { ensureDatabase, loadConfig } from '#lx/config';
import { startHttpApp } from '#lx/http';
import { SettlementAppModule } from './settlement.module.js';

const config = loadConfig();
await ensureDatabase(config.LX_DATABASE_URL);
await startHttpApp(SettlementAppModule.create(config), {
  title: 'Lead Exchange — settlement',
  description:
    'The clearing house: operator API (participants, API keys), matching, ledger, disputes and audit.',
  port: config.LX_SETTLEMENT_PORT,
  host: config.LX_HOST,
  maxBodyBytes: config.LX_MAX_BODY_BYTES,
  serveDocs: config.serveDocs,
});
