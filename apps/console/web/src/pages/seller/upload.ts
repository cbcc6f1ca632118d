import { ApiProblem, isProblem, toApiProblem } from '../../api/problem';
import { session } from '../../api/session';
import type { SellersAnswer } from '../../api/types';

export type UploadedBatch = SellersAnswer<'BatchesController_upload'>;

export interface UploadTerms {
  vertical: string;
  /** Minor units of the market's currency. */
  floor: number;
  exclusivity: 'exclusive' | 'shared';
  maxSales?: number;
  listingLifetimeHours?: number;
}

/** The media type the exchange reads a file as: NDJSON by its name or type, CSV otherwise. */
export function mediaTypeOf(file: File): 'text/csv' | 'application/x-ndjson' {
  const name = file.name.toLowerCase();
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl') || file.type.includes('ndjson'))
    return 'application/x-ndjson';
  return 'text/csv';
}

/**
 * POST /v1/batches with the file as the whole body and the terms in the query. XMLHttpRequest,
 * because fetch reports no upload progress; `onProgress` gets the share of the file sent (0–1).
 */
export function uploadBatch(
  file: File,
  terms: UploadTerms,
  onProgress: (share: number) => void,
): Promise<UploadedBatch> {
  const query = new URLSearchParams({
    vertical: terms.vertical,
    floor: String(terms.floor),
    exclusivity: terms.exclusivity,
  });
  if (terms.exclusivity === 'shared' && terms.maxSales !== undefined)
    query.set('maxSales', String(terms.maxSales));
  if (terms.listingLifetimeHours !== undefined)
    query.set('listingLifetimeHours', String(terms.listingLifetimeHours));
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/sellers/v1/batches?${query.toString()}`);
    request.setRequestHeader('Content-Type', mediaTypeOf(file));
    request.setRequestHeader('Authorization', `Bearer ${session.key() ?? ''}`);
    request.setRequestHeader('Idempotency-Key', crypto.randomUUID());
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = undefined;
      }
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve(body as UploadedBatch);
        return;
      }
      if (request.status === 401 && session.key()) session.signOut();
      reject(
        new ApiProblem(
          isProblem(body)
            ? body
            : { type: 'about:blank', title: request.statusText || 'Upload failed', status: request.status },
        ),
      );
    };
    request.onerror = () => reject(toApiProblem(new Error('The exchange could not be reached')));
    request.send(file);
  });
}
