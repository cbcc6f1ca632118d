import { randomBytes, scrypt as scryptCallback, timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };

/**
 * An API key names its participant and key id, so that authenticating it is one stream read:
 * `lx_<participant id, 32 hex>_<key id, 16 hex>_<secret, 43 base64url>`. Only an scrypt hash of
 * the whole key is stored (in the participant's stream); the key itself is shown once.
 */
export interface ParsedApiKey {
  participantId: string;
  keyId: string;
}

const KEY_FORMAT = /^lx_([0-9a-f]{32})_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(participantId: string): { apiKey: string; keyId: string; prefix: string } {
  const keyId = randomBytes(8).toString('hex');
  const apiKey = `lx_${participantId.replace(/-/g, '')}_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { apiKey, keyId, prefix: apiKey.slice(0, 12) };
}

export function parseApiKey(apiKey: string): ParsedApiKey | null {
  const match = KEY_FORMAT.exec(apiKey);
  if (!match) return null;
  const hex = match[1]!;
  const participantId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { participantId, keyId: match[2]! };
}

export async function hashApiKey(apiKey: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(apiKey, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}.${PARAMS.r}.${PARAMS.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyApiKey(apiKey: string, stored: string): Promise<boolean> {
  const [scheme, params, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !params || !salt || !hash) return false;
  const [N, r, p] = params.split('.').map(Number);
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(apiKey, Buffer.from(salt, 'base64url'), expected.length, { N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function fingerprintOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
