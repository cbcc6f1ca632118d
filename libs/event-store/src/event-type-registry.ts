/**
 * What the event store needs to know about event types to refuse bad input before writing:
 * implemented by the shared event catalogue (`#lx/contracts`) and by test catalogues.
 */
export interface EventTypeRegistry {
  describe(type: string): EventTypeDescriptor | undefined;
}

export interface EventTypeDescriptor {
  readonly type: string;
  readonly schemaVersion: number;
  /** Stream categories this event may be appended to (empty: any). */
  readonly categories: readonly string[];
  validate(data: unknown): { ok: true; value: unknown } | { ok: false; issues: string[] };
}
