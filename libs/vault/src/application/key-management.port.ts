/**
 * The part of a KMS the vault needs: wrap and unwrap data keys under a master key that never
 * leaves the KMS. Here the master key comes from the environment; a cloud KMS fits the same port.
 */
export interface KeyManagementService {
  /** Names the master key, so that keys wrapped under an earlier master key can be told apart. */
  readonly masterKeyId: string;
  wrap(dataKey: Buffer): Promise<Buffer>;
  unwrap(wrapped: Buffer): Promise<Buffer>;
}

export const KEY_MANAGEMENT = Symbol('KEY_MANAGEMENT');
