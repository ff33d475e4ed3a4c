import { describe, expect, it } from 'vitest';
import { invalidationsFor, mergeKeys } from './crmStream';

describe('invalidationsFor', () => {
  it('refreshes every deal list, the changed deal’s page and the contacts on a deal change', () => {
    expect(invalidationsFor({ kind: 'deal', dealId: 'd1' })).toEqual([['crm', 'deals'], ['crm', 'deal', 'd1'], ['crm', 'contacts'], ['crm', 'contact']]);
    expect(invalidationsFor({ kind: 'deal' })).toContainEqual(['crm', 'deal']);
  });

  it('refreshes task lists, and the deal whose timeline shows the task', () => {
    expect(invalidationsFor({ kind: 'task', taskId: 't1', dealId: 'd1' })).toEqual([['crm', 'tasks'], ['crm', 'deal', 'd1']]);
    expect(invalidationsFor({ kind: 'task', taskId: 't1', dealId: null })).toEqual([['crm', 'tasks']]);
  });

  it('refreshes the whole CRM on a change it does not know', () => {
    expect(invalidationsFor({ kind: 'contact' })).toEqual([['crm']]);
  });
});

describe('mergeKeys', () => {
  it('keeps each key once across a burst of messages', () => {
    const keys = mergeKeys([invalidationsFor({ kind: 'task', dealId: 'd1' }), invalidationsFor({ kind: 'task', dealId: 'd1' }), invalidationsFor({ kind: 'task', dealId: 'd2' })]);
    expect(keys).toEqual([['crm', 'tasks'], ['crm', 'deal', 'd1'], ['crm', 'deal', 'd2']]);
  });
});
