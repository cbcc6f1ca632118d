/** RFC 9457 problem details, as every app answers errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { field: string; messages: string[] }[];
  [extension: string]: unknown;
}

/** A request the exchange refused (or could not answer): the problem it sent, whole. */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
  }

  /** The messages the exchange gave for one field (by its name in the request), if any. */
  fieldMessages(field: string): string[] {
    return (this.problem.errors ?? [])
      .filter((error) => error.field === field || error.field.endsWith(`.${field}`))
      .flatMap((error) => error.messages);
  }
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'title' in value && 'status' in value;
}

/** Turns whatever a request failed with into an ApiProblem (network failures included). */
export function toApiProblem(error: unknown, status = 0): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (isProblem(error)) return new ApiProblem(error);
  return new ApiProblem({
    type: 'about:blank',
    title: error instanceof Error ? error.message : 'The exchange could not be reached',
    status,
  });
}
