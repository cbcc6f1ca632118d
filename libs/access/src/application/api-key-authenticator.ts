import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { metricsRegistry, type Principal } from '#lx/http';
import { Counter } from 'prom-client';
import { fingerprintOf, parseApiKey, verifyApiKey } from './api-key-secrets.js';
import { BOOTSTRAP_OPERATOR, type BootstrapOperatorKey } from './bootstrap-operator.js';
import { loadParticipant, participantStream, type LoadedParticipant } from './participant-stream.js';
import { REFUSED_KEYS, type RefusedKeys } from './refused-keys.port.js';

const MAX_CACHED = 10_000;

/** The costly part of authentication, counted so that an operator sees a forged-key flood. */
const scryptChecks = new Counter({
  name: 'lx_api_key_scrypt_checks_total',
  help: 'scrypt verifications of presented API keys, by outcome',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});

/**
 * Turns a presented API key into a principal. Every request checks the participant stream's
 * newest revision (one indexed read), so a revocation or suspension takes effect at once; the
 * slow scrypt verification runs once per key and process, and a secret it refused is refused
 * without it for a while (on every instance).
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly participants = new Map<string, LoadedParticipant>();
  private readonly verified = new Map<string, string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BOOTSTRAP_OPERATOR) private readonly bootstrap: BootstrapOperatorKey,
    @Inject(REFUSED_KEYS) private readonly refused: RefusedKeys,
  ) {}

  /** Whether `presented` is a key this process already verified (costs no scrypt to check again). */
  isKnown(presented: string): boolean {
    return this.verified.has(fingerprintOf(presented));
  }

  async authenticate(presented: string): Promise<Principal | null> {
    const parsed = parseApiKey(presented);
    if (!parsed) {
      const principal = await this.bootstrap.authenticate(presented);
      if (principal) this.verified.set(fingerprintOf(presented), principal.keyId);
      return principal;
    }

    const { state } = await this.current(parsed.participantId);
    const key = state.keys.get(parsed.keyId);
    if (!state.exists || state.suspended || !state.role || !key || key.revoked) return null;

    const fingerprint = fingerprintOf(presented);
    if (this.verified.get(fingerprint) !== key.hash) {
      if (await this.refused.isRefused(fingerprint)) return null;
      const matches = await verifyApiKey(presented, key.hash);
      scryptChecks.inc({ outcome: matches ? 'match' : 'mismatch' });
      if (!matches) {
        await this.refused.remember(fingerprint);
        return null;
      }
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
