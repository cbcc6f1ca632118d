/**
 * The whole upload is refused (nothing is listed): the file cannot be read as a batch. Carries
 * the HTTP status the API answers with and a message that tells the seller what to fix.
 */
export class UploadRejected extends Error {
  constructor(
    readonly status: 400 | 409 | 413 | 415 | 422,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'UploadRejected';
  }
}
