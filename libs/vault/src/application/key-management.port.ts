/**
 * The part of a KMS the vault needs: wrap and unwrap data keys under master keys that never
 * leave the KMS. Here the master keys come from the environment; a cloud KMS fits the same port.
 * Every wrapped key records the id of the master key that wrapped it, so a master key can be
 * rotated: new keys are wrapped under the current one, older ones unwrap under theirs until
 * they are re-wrapped.
 */
export interface KeyManagementService {
  /** The master key new data keys are wrapped under. */
  readonly masterKeyId: string;
  /**
   * Wraps a data key under the current master key, binding the master key id and the data key id
   * as associated data: a wrapped key moved to another data key's row, or relabelled with another
   * master key id, does not unwrap.
   */
  wrap(dataKey: Buffer, dataKeyId: string): Promise<WrappedDataKey>;
  /** Unwraps under the master key the wrapped key names; fails if that master key is not held. */
  unwrap(wrapped: WrappedDataKey, dataKeyId: string): Promise<Buffer>;
  /** False when the key should be re-wrapped: under an earlier master key, or in an earlier form. */
  isCurrent(wrapped: WrappedDataKey): boolean;
}

export interface WrappedDataKey {
  wrapped: Buffer;
  masterKeyId: string;
}

export const KEY_MANAGEMENT = Symbol('KEY_MANAGEMENT');
