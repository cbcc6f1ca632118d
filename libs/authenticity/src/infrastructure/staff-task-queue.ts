import { Injectable } from '@nestjs/common';
import { AuthenticityVerifier, type CheckRequest } from '../application/authenticity-verifier.port.js';

/**
 * The default verifier: the operator's verification staff. A drawn check is a task in the read
 * model at once (`GET /v1/authenticity/tasks`), so there is nothing to send; staff answer over HTTP.
 */
@Injectable()
export class StaffTaskQueue extends AuthenticityVerifier {
  readonly answeredBy = 'staff' as const;

  async requestChecks(_checks: readonly CheckRequest[]): Promise<void> {}
}
