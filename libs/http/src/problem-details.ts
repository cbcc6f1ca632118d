import { HttpException } from '@nestjs/common';

/** RFC 9457 problem details: the one error format of every app. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Field-level errors: every offending field is named. */
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface FieldError {
  field: string;
  messages: string[];
}

export const PROBLEM_BASE = 'https://lead-exchange.dev/problems/';

/** An HTTP error that renders as a problem with a stable machine-readable `code`. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    title: string,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super({ title, detail }, status);
  }

  toProblem(instance?: string): ProblemDetails {
    const { title, detail } = this.getResponse() as { title: string; detail?: string };
    return {
      type: `${PROBLEM_BASE}${this.code}`,
      title,
      status: this.getStatus(),
      ...(detail ? { detail } : {}),
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

export const notFound = (what: string) =>
  new ProblemException(404, 'not-found', 'Not found', `${what} was not found`);
