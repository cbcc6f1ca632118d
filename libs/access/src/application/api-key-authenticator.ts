import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import type { Principal } from '#lx/http';
import { fingerprintOf, parseApiKey, verifyApiKey } from './api-key-secrets.js';
import { BOOTSTRAP_OPERATOR, type BootstrapOperatorKey } from './bootstrap-operator.js';
import { loadParticipant, participantStream, type LoadedParticipant } from './participant-stream.js';

const MAX_CACHED = 10_000;

/**
 * Turns a presented API key into a principal. Every request checks the participant stream's
 * newest revision (one indexed read), so a revocation or suspension takes effect at once; the
 * slow scrypt verification runs once per key and process.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly participants = new Map<string, LoadedParticipant>();
  private readonly verified = new Map<string, string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BOOTSTRAP_OPERATOR) private readonly bootstrap: BootstrapOperatorKey,
  ) {}

  async authenticate(presented: string): Promise<Principal | null> {
    const parsed = parseApiKey(presented);
    if (!parsed) return this.bootstrap.authenticate(presented);

    const { state } = await this.current(parsed.participantId);
    const key = state.keys.get(parsed.keyId);
    if (!state.exists || state.suspended || !state.role || !key || key.revoked) return null;

    const fingerprint = fingerprintOf(presented);
    if (this.verified.get(fingerprint) !== key.hash) {
      if (!(await verifyApiKey(presented, key.hash))) return null;
      if (this.verified.size >= MAX_CACHED) this.verified.clear();
      this.verified.set(fingerprint, key.hash);
    }
    return { participantId: parsed.participantId, role: state.role, keyId: parsed.keyId };
  }

  private async current(participantId: string): Promise<LoadedParticipant> {
    const [newest] = await this.store.readStream(participantStream(participantId), {
      direction: 'backwards',
      maxCount: 1,
    });
    const cached = this.participants.get(participantId);
    if (cached && cached.revision === (newest?.revision ?? -1)) return cached;
    const loaded = await loadParticipant(this.store, participantId);
    if (this.participants.size >= MAX_CACHED) this.participants.clear();
    this.participants.set(participantId, loaded);
    return loaded;
  }
}
