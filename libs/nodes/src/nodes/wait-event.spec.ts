import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { waitEvent } from './wait-event';

describe('wait.event', () => {
  it('first asks to wait for the event types, with the match and a deadline', async () => {
    const { result } = await runNode(waitEvent, { types: ['invoice.paid'], timeout: 'P7D' }, { now: '2026-01-05T09:00:00.000Z' });
    expect(result).toEqual({
      wait: {
        until: '2026-01-12T09:00:00.000Z',
        event: { types: ['invoice.paid'], match: 'event.data.object.customer = trigger.payment.customerId' },
        output: { types: ['invoice.paid'], until: '2026-01-12T09:00:00.000Z' },
      },
    });
  });

  it('leaves match out when it is empty, so any event of the types resumes it', async () => {
    const { result } = await runNode(waitEvent, { match: ' ' }, {});
    expect(result).toMatchObject({ wait: { event: { types: ['invoice.paid'], match: undefined } } });
  });

  it('keeps {{ }} in match unrendered for the engine to evaluate per event', async () => {
    const { result } = await runNode(waitEvent, { match: 'event.id = "{{ x }}"' }, {});
    expect(result).toMatchObject({ wait: { event: { match: 'event.id = "{{ x }}"' } } });
  });

  it('goes to "event" with the event that arrived', async () => {
    const event = sampleEvent('invoice_paid');
    const { result } = await runNode(waitEvent, {}, { resume: { reason: 'event', event } });
    expect(result).toEqual({ port: 'event', output: event });
  });

  it('goes to "timeout" when the deadline passes first', async () => {
    const { result } = await runNode(waitEvent, {}, { resume: { reason: 'timer' }, now: '2026-01-12T09:00:00.000Z' });
    expect(result).toEqual({ port: 'timeout', output: { timedOutAt: '2026-01-12T09:00:00.000Z' } });
  });
});
