import type { OnApplicationShutdown } from '@nestjs/common';
import type { PersonalDataEnvelope } from '#lx/contracts';
import { connectVault, type ConnectedVault, type VaultMasterKeys } from '#lx/vault';
import type { z } from 'zod';
import type { SealedTextOpener } from '../application/lead-texts.js';

/** Opens a dispute's sealed texts with the vault; an erased lead's open as null. */
export class VaultSealedTextOpener implements SealedTextOpener, OnApplicationShutdown {
  private constructor(private readonly connected: ConnectedVault) {}

  static async connect(
    vaultDatabaseUrl: string,
    masterKeys: VaultMasterKeys,
  ): Promise<VaultSealedTextOpener> {
    return new VaultSealedTextOpener(await connectVault(vaultDatabaseUrl, masterKeys));
  }

  open(envelopes: readonly z.output<typeof PersonalDataEnvelope>[]): Promise<(unknown | null)[]> {
    return this.connected.vault.openMany(envelopes);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connected.close();
  }
}
