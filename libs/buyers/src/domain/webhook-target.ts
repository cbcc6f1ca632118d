/*
 * Where a webhook may point. A buyer's URL is fetched by the exchange from inside its own network,
 * so a URL aimed at loopback, a private network, a link-local or metadata address, multicast or a
 * reserved range would turn delivery into a request forgery (SSRF). Only public unicast addresses
 * are delivered to; names are judged by every address they resolve to, at registration and again
 * at each delivery (a name can be re-pointed after it was registered).
 */

/** IPv4 ranges that are not public unicast (RFC 6890 and friends), as [first octets, prefix]. */
const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8], // "this network"
  [0x0a000000, 8], // private
  [0x64400000, 10], // carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local, cloud metadata (169.254.169.254)
  [0xac100000, 12], // private
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0000200, 24], // documentation
  [0xc0586300, 24], // 6to4 relay anycast
  [0xc0a80000, 16], // private
  [0xc6120000, 15], // benchmarking
  [0xc6336400, 24], // documentation
  [0xcb007100, 24], // documentation
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, broadcast
];

function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255))
    return null;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

const inRange = (address: number, [base, prefix]: [number, number]) =>
  Math.floor(address / 2 ** (32 - prefix)) === Math.floor(base / 2 ** (32 - prefix));

/** The 8 groups of an IPv6 address (`::` expanded, a trailing dotted IPv4 folded in), or null. */
function parseIpv6(text: string): number[] | null {
  let address = text.replace(/^\[|\]$/g, '').toLowerCase();
  if (address.includes('%')) address = address.slice(0, address.indexOf('%'));
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]!);
    if (v4 === null) return null;
    address = `${address.slice(0, -dotted[1]!.length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return all.map((group) => parseInt(group, 16));
}

function ipv6Refusal(groups: number[]): string | null {
  const [a, b, , , , f, g, h] = groups as [number, number, number, number, number, number, number, number];
  const zero = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  if (zero(0, 8)) return 'the unspecified address';
  if (zero(0, 7) && h === 1) return 'a loopback address';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judge the IPv4 inside.
  const mapped = zero(0, 5) && f === 0xffff;
  const compatible = zero(0, 6);
  const nat64 = a === 0x64 && b === 0xff9b && zero(2, 6);
  if (mapped || compatible || nat64) return ipv4Refusal(g * 0x10000 + h);
  if ((a & 0xfe00) === 0xfc00) return 'a unique-local (private) address';
  if ((a & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((a & 0xff00) === 0xff00) return 'a multicast address';
  if (a === 0x2001 && b === 0x0db8) return 'a documentation address';
  if (a === 0x0100 && zero(1, 4)) return 'a discard-only address';
  return null;
}

function ipv4Refusal(address: number): string | null {
  const range = PRIVATE_V4.find((candidate) => inRange(address, candidate));
  if (!range) return null;
  if (range[0] === 0x7f000000) return 'a loopback address';
  if (range[0] === 0xa9fe0000) return 'a link-local or cloud metadata address';
  if (range[0] === 0xe0000000) return 'a multicast address';
  if (
    range[0] === 0x0a000000 ||
    range[0] === 0xac100000 ||
    range[0] === 0xc0a80000 ||
    range[0] === 0x64400000
  )
    return 'a private network address';
  return 'a reserved address';
}

/** Why this IP address may not receive webhooks, or null when it is public unicast. */
export function addressRefusal(address: string): string | null {
  const v4 = parseIpv4(address);
  if (v4 !== null) return ipv4Refusal(v4);
  const v6 = parseIpv6(address);
  if (v6 !== null) return ipv6Refusal(v6);
  return 'not an IP address';
}

/** Names that mean "this machine" or "the cloud's metadata service" whatever they resolve to. */
const INTERNAL_NAMES = /(^|\.)(localhost|localdomain|internal|local)\.?$|^metadata\.google\.internal\.?$/i;

/** Why this host name may not receive webhooks before it is even resolved, or null. */
export function hostNameRefusal(hostname: string): string | null {
  return INTERNAL_NAMES.test(hostname) ? 'a name of this machine or network' : null;
}

export const isIpLiteral = (hostname: string) => parseIpv4(hostname) !== null || parseIpv6(hostname) !== null;
