import { ProblemException } from '#lx/http';
import { UploadRejected } from '../application/upload/upload-rejected.js';

const TITLES: Record<number, string> = {
  400: 'The file cannot be read',
  413: 'The file is over the upload limit',
  415: 'Unsupported file type',
  422: 'The file is not a lead batch',
};

/** A refused upload as problem+json: what is wrong and how to fix it. */
export function problemOfUpload(error: unknown): unknown {
  if (!(error instanceof UploadRejected)) return error;
  return new ProblemException(
    error.status,
    error.code,
    TITLES[error.status] ?? 'Upload refused',
    error.message,
    error.details,
  );
}
