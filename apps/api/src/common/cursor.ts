import { BadRequestException } from '@nestjs/common';

/** Keyset cursors: opaque to clients, `(timestamp, id)` inside. Never OFFSET. */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) throw new BadRequestException({ statusCode: 400, message: 'Invalid cursor' });
  return { at, id };
}
