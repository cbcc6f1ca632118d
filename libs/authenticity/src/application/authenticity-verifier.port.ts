/** A check the exchange asks for: call or write to the person behind a sampled lead. */
export interface CheckRequest {
  readonly batchId: string;
  readonly leadId: string;
  readonly sellerId: string;
  readonly vertical: string;
}

/**
 * Port: who performs the contact checks of a drawn sample (docs/architecture.md §4.1). The default
 * adapter is the operator's verification staff: the checks wait in the task queue
 * (`GET /v1/authenticity/tasks`) and staff answer them over HTTP. A verification provider's adapter
 * would send the requests to the provider and answer each through `AnswerAuthenticityCheck` with
 * `answeredBy: { kind: 'provider', id: <provider> }` — the same command, the same events.
 */
export abstract class AuthenticityVerifier {
  /** Shown in the task list: who is expected to answer. */
  abstract readonly answeredBy: 'staff' | 'provider';
  abstract requestChecks(checks: readonly CheckRequest[]): Promise<void>;
}
