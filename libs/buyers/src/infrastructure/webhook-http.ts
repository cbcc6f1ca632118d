import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The guarded DNS lookup: the address connected to is the one it allowed. */
  lookup: LookupFunction;
}

/**
 * One POST of a webhook. Redirects are never followed (a 3xx is an answer like any other), so a
 * receiver cannot bounce the exchange to an address the target check never saw.
 */
export function postWebhook(post: WebhookPost): Promise<{ status: number }> {
  const url = new URL(post.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body) },
        lookup: post.lookup,
        timeout: post.timeoutMs,
        agent: false,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${post.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(post.body);
  });
}
