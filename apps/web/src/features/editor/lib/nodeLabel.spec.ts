import { describe, expect, it } from 'vitest';
import { nodeLabel } from './nodeLabel';

describe('nodeLabel', () => {
  it('uses the label given on the canvas, else the node type’s label, else the type id', () => {
    expect(nodeLabel({ data: { nodeType: 'notify', config: {}, extra: { label: 'Tell sales' } } })).toBe('Tell sales');
    expect(nodeLabel({ data: { nodeType: 'notify', config: {}, extra: { label: '  ' } } })).toBe('Notify');
    expect(nodeLabel({ data: { nodeType: 'notify', config: {} } })).toBe('Notify');
    expect(nodeLabel({ data: { nodeType: 'gone.type', config: {} } })).toBe('gone.type');
  });
});
