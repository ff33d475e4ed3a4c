import { describe, expect, it } from 'vitest';
import { searchKey } from './run-start';

describe('searchKey', () => {
  it('keeps ids and e-mails as they are, and leaves out what no btree entry could hold', () => {
    expect(searchKey('cus_QXg1o8vcGmoR32')).toBe('cus_QXg1o8vcGmoR32');
    expect(searchKey('a'.repeat(320))).toHaveLength(320);
    expect(searchKey('a'.repeat(321))).toBeNull();
    expect(searchKey('')).toBeNull();
    expect(searchKey(null)).toBeNull();
    expect(searchKey(undefined)).toBeNull();
  });
});
