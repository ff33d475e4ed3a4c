import { describe, expect, it } from 'vitest';
import { resendBlocker } from './intake-resend';

const sent = { status: 'sent', credential_id: 'c1', node_id: 'intake' };

describe('resendBlocker', () => {
  it('lets an open form be sent again once its last message has been delivered or given up on', () => {
    expect(resendBlocker('sent', sent)).toBeNull();
    expect(resendBlocker('opened', sent)).toBeNull();
    expect(resendBlocker('opened', { ...sent, status: 'dead' })).toBeNull();
  });
  it('offers nothing for a form that is sent back or expired, or that never had a message', () => {
    expect(resendBlocker('submitted', sent)).toMatch(/already sent the form/);
    expect(resendBlocker('expired', sent)).toMatch(/expired/);
    expect(resendBlocker('sent', null)).toMatch(/No message/);
  });
  it('points a held message (no credential) to the outbox and waits for one still being delivered', () => {
    expect(resendBlocker('sent', { status: 'held', credential_id: null, node_id: 'intake' })).toMatch(/step \(intake\) has no e-mail credential.*Outbox/);
    for (const status of ['pending', 'sending', 'retrying']) expect(resendBlocker('sent', { ...sent, status })).toMatch(`still ${status}`);
  });
});
