import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import {
  connectDataKeyDatabase,
  createPersonalDataVault,
  type PersonalDataVault,
  type VaultMasterKeys,
} from '#lx/vault';
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

  /** `vaultDatabaseUrl`: the vault's own database, not the log's. */
  static async connect(
    vaultDatabaseUrl: string,
    masterKeys: VaultMasterKeys,
  ): Promise<VaultPersonalDataReader> {
    const pool = await connectDataKeyDatabase(vaultDatabaseUrl);
    return new VaultPersonalDataReader(pool, await createPersonalDataVault(pool, masterKeys));
  }

  read(_leadId: string, envelope: PersonalDataEnvelope): Promise<PersonalData | null> {
    return this.vault.open<PersonalData>(envelope);
  }

  openTexts(envelopes: readonly PersonalDataEnvelope[]): Promise<(string | null)[]> {
    return this.vault.openMany<string>(envelopes);
  }

  /** A lead's key id is its lead id (the verification creates it so). */
  sealText(leadId: string, text: string): Promise<PersonalDataEnvelope> {
    return this.vault.sealUnder(leadId, text);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
