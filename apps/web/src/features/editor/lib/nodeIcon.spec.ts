import { describe, expect, it } from 'vitest';
import { iconOfNode } from './nodeIcon';

describe('iconOfNode', () => {
  it('shows Slack for a notify step on the Slack channel, the kind icon otherwise', () => {
    expect(iconOfNode('notify', { channel: 'slack' })).toBe('slack');
    expect(iconOfNode('notify', { channel: 'email' })).toBeNull();
    expect(iconOfNode('notify', undefined)).toBeNull();
    expect(iconOfNode('branch', { channel: 'slack' })).toBeNull();
  });
});
