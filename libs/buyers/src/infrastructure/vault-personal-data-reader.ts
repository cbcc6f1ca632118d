import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import { createPostgresPool } from '#lx/event-store';
import { createPersonalDataVault, type PersonalDataVault } from '#lx/vault';
import type {
  PersonalData,
  PersonalDataEnvelope,
  PersonalDataReader,
} from '../application/personal-data-reader.js';

const logger = new Logger('buyers');

/** The buyers' port onto libs/vault: opens an envelope, or null once its key was erased. */
@Injectable()
export class VaultPersonalDataReader implements PersonalDataReader, OnApplicationShutdown {
  readonly available = true;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly vault: PersonalDataVault,
  ) {}

  static async connect(databaseUrl: string, masterKeyBase64: string): Promise<VaultPersonalDataReader> {
    const pool = createPostgresPool({
      connectionString: databaseUrl,
      max: 4,
      purpose: 'vault',
      log: (message, error) => logger.warn(`${message}: ${String(error)}`),
    });
    return new VaultPersonalDataReader(pool, await createPersonalDataVault(pool, masterKeyBase64));
  }

  read(_leadId: string, envelope: PersonalDataEnvelope): Promise<PersonalData | null> {
    return this.vault.open<PersonalData>(envelope);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
