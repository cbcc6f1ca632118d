import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { DomainError } from '#lx/event-sourcing';
import type { WebhookTargetCheck } from '../application/webhook-target-check.js';
import { addressRefusal, hostNameRefusal, isIpLiteral } from '../domain/webhook-target.js';

export class WebhookTargetRefused extends DomainError {
  readonly code = 'webhook-target-refused';
}

export interface WebhookTargetPolicy {
  /** Tests deliver to a receiver on loopback; a deployment never sets this (the configuration refuses it). */
  allowPrivate: boolean;
  /** Webhooks carry personal data: outside development only https. */
  requireHttps: boolean;
}

/**
 * The exchange's guard against webhook request forgery: a URL is refused when its scheme is not
 * allowed, its host is an internal name, or any address it resolves to is not public unicast. The
 * same check runs inside the connection's own DNS lookup at delivery, so the address connected to
 * is the address checked — a name re-pointed after registration (DNS rebinding) is refused too.
 */
export class WebhookTargets implements WebhookTargetCheck {
  constructor(private readonly policy: WebhookTargetPolicy) {}

  /** At registration: the URL, and every address its host resolves to. */
  async check(url: string): Promise<void> {
    await this.addressesOf(this.urlHost(url));
  }

  /**
   * At delivery: the URL again (the rules may have tightened since registration) and an IP literal,
   * which never passes through a DNS lookup. A name is not resolved here: the connection's own
   * `lookup` resolves it once and checks what it connects to.
   */
  async checkBeforeConnecting(url: string): Promise<void> {
    const host = this.urlHost(url);
    if (isIpLiteral(host)) await this.addressesOf(host);
    else this.refuseInternalName(host);
  }

  /** The scheme and credentials of the URL checked; its host without brackets. */
  private urlHost(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new WebhookTargetRefused(`${url.slice(0, 200)} is not a URL`);
    }
    if (parsed.protocol !== 'https:' && (this.policy.requireHttps || parsed.protocol !== 'http:'))
      throw new WebhookTargetRefused(
        `Webhooks carry personal data: the URL must use https${this.policy.requireHttps ? '' : ' or http'}`,
      );
    if (parsed.username || parsed.password)
      throw new WebhookTargetRefused(
        'The URL may not carry a user name or password; sign requests with the secret',
      );
    return parsed.hostname.replace(/^\[|\]$/g, '');
  }

  private refuseInternalName(host: string): void {
    if (this.policy.allowPrivate) return;
    const nameRefusal = hostNameRefusal(host);
    if (nameRefusal)
      throw new WebhookTargetRefused(`${host} is ${nameRefusal}: webhooks go to public addresses only`);
  }

  /** For `http.request({ lookup })`: resolves like the system does, then refuses what may not be reached. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.addressesOf(hostname).then(
      (addresses) => {
        const wanted =
          options.family === 4 || options.family === 6
            ? addresses.filter((a) => a.family === options.family)
            : addresses;
        const chosen = wanted.length > 0 ? wanted : addresses;
        if (options.all) callback(null, chosen);
        else callback(null, chosen[0]!.address, chosen[0]!.family);
      },
      (error: Error) =>
        callback(Object.assign(error, { code: 'EWEBHOOKTARGET' }) as NodeJS.ErrnoException, '', 0),
    );
  };

  private async addressesOf(hostname: string): Promise<LookupAddress[]> {
    const host = hostname.replace(/^\[|\]$/g, '');
    this.refuseInternalName(host);
    const addresses = isIpLiteral(host)
      ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
      : await resolve(host);
    if (this.policy.allowPrivate) return addresses;
    for (const { address } of addresses) {
      const refusal = addressRefusal(address);
      if (refusal)
        throw new WebhookTargetRefused(
          `${host}${address === host ? '' : ` resolves to ${address}, which`} is ${refusal}: webhooks go to public addresses only`,
        );
    }
    return addresses;
  }
}

function resolve(host: string): Promise<LookupAddress[]> {
  return new Promise((done, fail) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error
        ? fail(new WebhookTargetRefused(`${host} does not resolve (${error.code ?? error.message})`))
        : addresses.length === 0
          ? fail(new WebhookTargetRefused(`${host} has no address`))
          : done(addresses),
    ),
  );
}
