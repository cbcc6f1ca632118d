import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ProblemException } from './problem-details.js';

/** The most items one page returns, on every list endpoint. */
export const MAX_PAGE_LIMIT = 500;

/** `?limit=` of a list endpoint: 1 … `max` (at most `MAX_PAGE_LIMIT`); a larger value is refused, not clipped. */
export const PageLimit = (max = MAX_PAGE_LIMIT) =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: Math.min(max, MAX_PAGE_LIMIT) }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(Math.min(max, MAX_PAGE_LIMIT)),
  );

/** `?limit=&cursor=` on every list endpoint. */
export class PageQuery {
  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

/** What a cursor field may hold: a log position part, an id, or an instant. */
export type CursorFieldKind = 'position' | 'uuid' | 'instant';
export type CursorShape = Record<string, CursorFieldKind>;
export type CursorOf<S extends CursorShape> = { [K in keyof S]: string };

const MAX_BIGINT = 2n ** 63n - 1n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

const FIELD_IS_VALID: Record<CursorFieldKind, (value: string) => boolean> = {
  position: (value) => /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT,
  uuid: (value) => UUID.test(value),
  instant: (value) => INSTANT.test(value) && Number.isFinite(Date.parse(value)),
};

export function encodeCursor(position: Record<string, string | number | Date>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * The one cursor codec: a cursor is accepted only with exactly the fields of `shape`, each of its
 * kind, so a tampered cursor or one issued by another list never reaches a query (400 instead).
 */
export function decodeCursor<S extends CursorShape>(
  cursor: string | undefined,
  shape: S,
): CursorOf<S> | null {
  if (cursor === undefined || cursor === '') return null;
  const value = parseCursor(cursor);
  const keys = Object.keys(shape);
  if (
    value !== null &&
    Object.keys(value).length === keys.length &&
    keys.every((key) => {
      const field = Object.hasOwn(value, key) ? value[key] : undefined;
      return typeof field === 'string' && FIELD_IS_VALID[shape[key]!](field);
    })
  )
    return value as CursorOf<S>;
  throw new ProblemException(
    400,
    'invalid-cursor',
    'Invalid cursor',
    'The cursor is not one this list issued',
    {
      errors: [{ field: 'cursor', messages: ['not a cursor issued by this list'] }],
    },
  );
}

function parseCursor(cursor: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Builds a page from `limit + 1` fetched rows. */
export function toPage<T>(
  rows: T[],
  limit: number,
  cursorOf: (last: T) => Record<string, string | number | Date>,
): Page<T> {
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items, nextCursor: encodeCursor(cursorOf(items.at(-1)!)) } : { items };
}
