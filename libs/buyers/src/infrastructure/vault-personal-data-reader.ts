import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { createPersonalDataVault, type PersonalDataVault, type VaultMasterKeys } from '#lx/vault';
import type {
  PersonalData,
  PersonalDataEnvelope,
  PersonalDataReader,
} from '../application/personal-data-reader.js';

/** The buyers' port onto libs/vault: opens an envelope, or null once its key was erased. */
@Injectable()
export class VaultPersonalDataReader implements PersonalDataReader, OnApplicationShutdown {
  readonly available = true;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly vault: PersonalDataVault,
  ) {}

  static async connect(databaseUrl: string, masterKeys: VaultMasterKeys): Promise<VaultPersonalDataReader> {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    return new VaultPersonalDataReader(pool, await createPersonalDataVault(pool, masterKeys));
  }

  read(_leadId: string, envelope: PersonalDataEnvelope): Promise<PersonalData | null> {
    return this.vault.open<PersonalData>(envelope);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
