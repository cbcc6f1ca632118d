import { createHash } from 'node:crypto';
import type { EventStore, LogPosition } from '#lx/event-store';
import { secretsEqual, type Principal } from '#lx/http';

export const BOOTSTRAP_OPERATOR = Symbol('BOOTSTRAP_OPERATOR');

/** LX_OPERATOR_API_KEY and whether it outlives the first registered operator (LX_KEEP_BOOTSTRAP_OPERATOR_KEY). */
export interface BootstrapOperatorOptions {
  key?: string;
  keep: boolean;
}

/**
 * The key from the environment that lets a new deployment register its first operator. It is a
 * key nobody can revoke, so it retires itself: once a registered operator has been issued an API
 * key it no longer authenticates (unless explicitly kept). Its actions are recorded under a named
 * actor that says which bootstrap key it was (`bootstrap-operator:<digest>`), never anonymously.
 */
export class BootstrapOperatorKey {
  readonly principal: Principal | null;
  private retired = false;
  private scannedTo: LogPosition | null = null;
  private readonly operators = new Set<string>();

  constructor(
    private readonly options: BootstrapOperatorOptions,
    private readonly store: EventStore,
  ) {
    this.principal = options.key
      ? {
          participantId: `bootstrap-operator:${createHash('sha256').update(options.key).digest('hex').slice(0, 12)}`,
          role: 'operator',
          keyId: 'bootstrap',
        }
      : null;
  }

  /** The bootstrap principal when `presented` is the bootstrap key and it still works; null otherwise. */
  async authenticate(presented: string): Promise<Principal | null> {
    if (!this.options.key || !this.principal || !secretsEqual(presented, this.options.key)) return null;
    if (this.options.keep) return this.principal;
    return (await this.operatorHoldsKey()) ? null : this.principal;
  }

  /** Reads only the participant events appended since the last look; once true, stays true. */
  private async operatorHoldsKey(): Promise<boolean> {
    while (!this.retired) {
      const page = await this.store.readAll({
        after: this.scannedTo,
        maxCount: 500,
        filter: { streamCategories: ['participant'], eventTypes: ['ParticipantRegistered', 'ApiKeyIssued'] },
      });
      for (const event of page.events) {
        const { participantId, role } = event.data as { participantId: string; role?: string };
        if (event.type === 'ParticipantRegistered' && role === 'operator') this.operators.add(participantId);
        if (event.type === 'ApiKeyIssued' && this.operators.has(participantId)) this.retired = true;
      }
      this.scannedTo = page.nextAfter ?? this.scannedTo;
      if (page.isEnd) break;
    }
    return this.retired;
  }
}
