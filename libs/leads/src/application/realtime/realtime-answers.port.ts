import type { EventData, LeadPostOutcome, PingAnswered } from '#lx/contracts';

export type PostOutcomeData = EventData<typeof LeadPostOutcome>;
export type PingAnswerData = EventData<typeof PingAnswered>;

/** A wait for one engine answer, registered before the write that causes it (so none is missed). */
export interface AnswerWait<T> {
  /** The answer, or null when none came within `timeoutMs`. */
  wait(timeoutMs: number): Promise<T | null>;
  cancel(): void;
}

/**
 * The engines' answers to posted leads and pings as the sellers app learns them from the log (a
 * subscription to `market-*`, woken by LISTEN/NOTIFY): kept durably for later reads, and handed
 * at once to whoever is waiting for them in this process.
 */
export interface RealtimeAnswers {
  expectOutcome(leadId: string): AnswerWait<PostOutcomeData>;
  expectPingAnswer(pingId: string): AnswerWait<PingAnswerData>;
  outcome(leadId: string): Promise<PostOutcomeData | null>;
  pingAnswer(pingId: string): Promise<PingAnswerData | null>;
}
