import { ProblemException } from '#lx/http';
import { UploadRejected } from '../application/upload/upload-rejected.js';

const TITLES: Record<number, string> = {
  400: 'The file cannot be read',
  409: 'The same upload is still being received',
  413: 'The file is over the upload limit',
  415: 'Unsupported file type',
  422: 'The upload cannot be accepted',
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
