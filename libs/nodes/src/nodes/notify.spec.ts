import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { notify } from './notify';

describe('notify', () => {
  it('queues a Slack message with the default text rendered from the payment', async () => {
    const { result, effects } = await runNode(notify, { credential: { credential: 'cred_slack' }, to: '#sales' }, { event: sampleEvent('checkout_paid') });
    expect(effects.outbox).toEqual([
      {
        channel: 'slack',
        credential: 'cred_slack',
        recipient: '#sales',
        subject: undefined,
        body: 'Payment of 2500 USD from Jenny Rosen (client@example.com) cleared. Onboarding starts now.',
      },
    ]);
    expect(result).toEqual({ port: 'out', output: { outboxId: 'out_1', channel: 'slack', to: '#sales' } });
  });

  it('queues an e-mail with subject and templated recipients', async () => {
    const config = { channel: 'email', to: 'delivery@example.com, {{ trigger.payment.email }}', subject: 'Kickoff for {{ trigger.payment.name }}', text: 'Welcome aboard' };
    const { effects } = await runNode(notify, config, { event: sampleEvent('checkout_paid') });
    expect(effects.outbox[0]).toMatchObject({ channel: 'email', recipient: 'delivery@example.com, client@example.com', subject: 'Kickoff for Jenny Rosen', body: 'Welcome aboard' });
  });

  it('bounds the delivery attempts of its message by the step\'s retry setting', async () => {
    const { effects } = await runNode(notify, { text: 'hi', retry: { attempts: 2 } }, { trigger: {} });
    expect(effects.outbox[0].maxAttempts).toBe(2);
    expect((await runNode(notify, { text: 'hi' }, { trigger: {} })).effects.outbox[0].maxAttempts).toBeUndefined();
  });

  it('fails instead of sending an e-mail whose recipient rendered empty', async () => {
    await expect(runNode(notify, { channel: 'email', to: '{{ trigger.payment.email }}', text: 'hi' }, { trigger: {} })).rejects.toThrow(/no recipient/);
  });

  it('needs valid e-mail recipients for the e-mail channel only', () => {
    expect(notify.config.safeParse({ channel: 'email', to: '' }).error?.issues[0].message).toBe('needs at least one e-mail address');
    expect(notify.config.safeParse({ channel: 'email', to: 'a@example.com, sales' }).error?.issues[0].message).toBe('has addresses that are not e-mails: sales');
    expect(notify.config.safeParse({ channel: 'slack', to: '#sales' }).success).toBe(true);
  });

  it('refuses an empty message', () => {
    expect(notify.config.safeParse({ text: '' }).success).toBe(false);
  });
});

describe('notify recipients', () => {
  it('refuses a template that renders to several addresses, so a customer field cannot add recipients', async () => {
    const config = { channel: 'email', to: 'sales@example.com, {{ trigger.email }}', text: 'hi' };
    await expect(runNode(notify, config, { trigger: { email: 'victim@example.com, attacker@example.net' } })).rejects.toThrow(/rendered to 3 addresses from 2 entries/);
    await expect(runNode(notify, config, { trigger: { email: 'not an address' } })).rejects.toThrow(/not an e-mail address/);
    const { effects } = await runNode(notify, config, { trigger: { email: 'client@example.com' } });
    expect(effects.outbox[0].recipient).toBe('sales@example.com, client@example.com');
  });
});
