import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { connectVault, type ConnectedVault, type PersonalDataVault, type VaultMasterKeys } from '#lx/vault';
import type {
  PersonalData,
  PersonalDataEnvelope,
  PersonalDataReader,
} from '../application/personal-data-reader.js';

/** The buyers' port onto libs/vault: opens an envelope, or null once its key was erased. */
@Injectable()
export class VaultPersonalDataReader implements PersonalDataReader, OnApplicationShutdown {
  readonly available = true;

  private readonly vault: PersonalDataVault;

  private constructor(private readonly connected: ConnectedVault) {
    this.vault = connected.vault;
  }

  /** `vaultDatabaseUrl`: the vault's own database, not the log's. */
  static async connect(
    vaultDatabaseUrl: string,
    masterKeys: VaultMasterKeys,
  ): Promise<VaultPersonalDataReader> {
    return new VaultPersonalDataReader(await connectVault(vaultDatabaseUrl, masterKeys));
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
    await this.connected.close();
  }
}
