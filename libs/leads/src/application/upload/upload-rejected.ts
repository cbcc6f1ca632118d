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

/**
 * A header line that names unknown or repeated columns (or lacks required ones): refused with
 * every problem named, the column names cut to 60 characters, and what to do (`help`).
 */
export function invalidHeader(
  problems: { unknown: readonly string[]; repeated: readonly string[]; missing?: readonly string[] },
  help: string,
): UploadRejected {
  const { unknown, repeated, missing = [] } = problems;
  return new UploadRejected(
    422,
    'invalid-header',
    [
      unknown.length
        ? `unknown columns: ${unknown.map((name) => JSON.stringify(name.slice(0, 60))).join(', ')}`
        : '',
      repeated.length ? `repeated columns: ${repeated.join(', ')}` : '',
      missing.length ? `missing required columns: ${missing.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ') + `. ${help}`,
    {
      unknownColumns: unknown.map((name) => name.slice(0, 60)),
      repeatedColumns: repeated,
      ...(problems.missing ? { missingColumns: missing } : {}),
    },
  );
}
