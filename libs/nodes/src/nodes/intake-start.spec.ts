import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../stripe/samples';
import { runNode } from '../testing/run-node';
import { intakeStart } from './intake-start';

describe('intake.start', () => {
  it('starts an intake for the paying client with the default questions', async () => {
    const { result, effects } = await runNode(intakeStart, {}, { event: sampleEvent('checkout_paid') });
    expect(effects.intake).toEqual([
      {
        email: 'client@example.com',
        name: 'Jenny Rosen',
        customerId: 'cus_QXg1o8vcGmoR32',
        expiresInDays: 14,
        fields: [
          { name: 'company', label: 'Company name', required: true },
          { name: 'primaryContact', label: 'Primary contact (name and e-mail)', required: true },
          { name: 'kickoffDate', label: 'Preferred kickoff date', required: false },
          { name: 'notes', label: 'Anything we should know?', required: false },
        ],
      },
    ]);
    expect(result).toEqual({ port: 'out', output: { id: 'intake_1', token: 'tok_1', url: 'https://handoff.test/intake/tok_1', email: 'client@example.com' } });
  });

  it('uses custom questions and expiry', async () => {
    const { effects } = await runNode(intakeStart, { expiresInDays: 3, fields: [{ name: 'domain', label: 'Your domain' }] }, { trigger: {} });
    expect(effects.intake[0]).toMatchObject({ expiresInDays: 3, fields: [{ name: 'domain', label: 'Your domain', required: false }], email: null });
  });

  it('sends the link with the SMTP credential of the step, when it has one', async () => {
    const { effects } = await runNode(intakeStart, { credential: { credential: 'cred_smtp' } }, { event: sampleEvent('checkout_paid') });
    expect(effects.intake[0].credential).toBe('cred_smtp');
  });

  it('refuses the same question key twice and keys that are not identifiers', () => {
    const twice = intakeStart.config.safeParse({ fields: [{ name: 'company', label: 'A' }, { name: 'company', label: 'B' }] });
    expect(twice.error?.issues).toEqual([expect.objectContaining({ path: ['fields', 1, 'name'], message: '"company" is used twice' })]);
    expect(intakeStart.config.safeParse({ fields: [{ name: 'Company Name', label: 'A' }] }).success).toBe(false);
  });
});
