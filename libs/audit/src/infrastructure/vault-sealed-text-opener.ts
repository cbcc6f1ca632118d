import type { OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import type { PersonalDataEnvelope } from '#lx/contracts';
import {
  connectDataKeyDatabase,
  createPersonalDataVault,
  type PersonalDataVault,
  type VaultMasterKeys,
} from '#lx/vault';
import type { z } from 'zod';
import type { SealedTextOpener } from '../application/lead-texts.js';

/** Opens a dispute's sealed texts with the vault; an erased lead's open as null. */
export class VaultSealedTextOpener implements SealedTextOpener, OnApplicationShutdown {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly vault: PersonalDataVault,
  ) {}

  static async connect(
    vaultDatabaseUrl: string,
    masterKeys: VaultMasterKeys,
  ): Promise<VaultSealedTextOpener> {
    const pool = await connectDataKeyDatabase(vaultDatabaseUrl);
    return new VaultSealedTextOpener(pool, await createPersonalDataVault(pool, masterKeys));
  }

  open(envelopes: readonly z.output<typeof PersonalDataEnvelope>[]): Promise<(unknown | null)[]> {
    return this.vault.openMany(envelopes);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
