import { describe, expect, it } from 'vitest';
import { idBase, nextEdgeId, nextNodeId } from './ids';

describe('node ids', () => {
  it('derives a short base from the node type', () => {
    expect(idBase('stripe.trigger')).toBe('stripe');
    expect(idBase('crm.updateDeal')).toBe('crm');
    expect(idBase('branch')).toBe('branch');
    expect(idBase('wait.event')).toBe('wait');
    expect(idBase('http.request')).toBe('http');
    expect(idBase('myVendor.doThing')).toBe('my_vendor');
    expect(idBase('3d.print')).toBe('n_3d');
    expect(idBase('')).toBe('node');
  });

  it('numbers ids from 1 and keeps counting past the highest used', () => {
    expect(nextNodeId('branch', [])).toBe('branch_1');
    expect(nextNodeId('branch', ['branch_1', 'crm_1'])).toBe('branch_2');
    expect(nextNodeId('crm.updateDeal', ['crm_1', 'crm_4'])).toBe('crm_5');
  });

  it('is unique even when hand-written ids collide with the pattern', () => {
    const ids = ['paid', 'notify_1', 'notify_2'];
    const id = nextNodeId('notify', ids);
    expect(ids).not.toContain(id);
    expect(id).toBe('notify_3');
  });

  it('numbers edges e1, e2, …', () => {
    expect(nextEdgeId([])).toBe('e1');
    expect(nextEdgeId(['e1', 'e7', 'custom'])).toBe('e8');
  });
});
