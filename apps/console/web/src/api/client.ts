import createClient, { type Middleware } from 'openapi-fetch';
import type { paths as SellersPaths } from './generated/sellers';
import type { paths as BuyersPaths } from './generated/buyers';
import type { paths as SettlementPaths } from './generated/settlement';
import { ApiProblem, isProblem } from './problem';
import { session } from './session';

/** Adds the signed-in key, an Idempotency-Key on every POST, and turns error answers into ApiProblem. */
const exchangeMiddleware: Middleware = {
  onRequest({ request }) {
    const key = session.key();
    if (key) request.headers.set('Authorization', `Bearer ${key}`);
    if (request.method === 'POST' && !request.headers.has('Idempotency-Key'))
      request.headers.set('Idempotency-Key', crypto.randomUUID());
    return request;
  },
  async onResponse({ response }) {
    if (response.ok) return response;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (response.status === 401 && session.key()) session.signOut();
    throw new ApiProblem(
      isProblem(body)
        ? body
        : { type: 'about:blank', title: response.statusText || 'Request failed', status: response.status },
    );
  },
};

function clientFor<Paths extends object>(baseUrl: string) {
  // fetch is looked up per request (not captured once), so component tests can stand in for the network.
  const client = createClient<Paths>({ baseUrl, fetch: (request) => globalThis.fetch(request) });
  client.use(exchangeMiddleware);
  return client;
}

/** The three APIs, typed from their OpenAPI documents, behind the console's own origin. */
export const sellersApi = clientFor<SellersPaths>(`${window.location.origin}/api/sellers`);
export const buyersApi = clientFor<BuyersPaths>(`${window.location.origin}/api/buyers`);
export const settlementApi = clientFor<SettlementPaths>(`${window.location.origin}/api/settlement`);

/** The data of an openapi-fetch answer (errors were already thrown by the middleware). */
export function data<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined)
    throw result.error instanceof ApiProblem
      ? result.error
      : new ApiProblem({ type: 'about:blank', title: 'Unexpected answer', status: result.response.status });
  return result.data;
}

/** A file download from an API (CSV exports, the dispute report), with the key the browser cannot attach to a link. */
export async function download(
  app: 'sellers' | 'buyers' | 'settlement',
  path: string,
  filename: string,
): Promise<void> {
  const response = await globalThis.fetch(`${window.location.origin}/api/${app}${path}`, {
    headers: { Authorization: `Bearer ${session.key() ?? ''}` },
  });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    throw new ApiProblem(
      isProblem(body) ? body : { type: 'about:blank', title: response.statusText, status: response.status },
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
