import { describe, expect, it } from 'vitest';
import { safeNext } from './safeNext';

describe('safeNext', () => {
  it('follows same-site paths only', () => {
    expect(safeNext('/flows/abc')).toBe('/flows/abc');
    expect(safeNext('//evil.example')).toBe('/flows');
    expect(safeNext('https://evil.example')).toBe('/flows');
    expect(safeNext(null)).toBe('/flows');
    expect(safeNext('/login?next=/x')).toBe('/flows');
  });
});
