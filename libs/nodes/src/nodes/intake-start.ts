import { z } from 'zod';
import { defineNode } from '../define';
import { credentialField } from '../flow-document';
import { EFFECT, effectConfig } from './common';
import { optionalText } from './values';

const intakeField = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, 'must be a short key such as company or kickoffDate')
      .describe('Key the answer is stored under'),
    label: z.string().trim().min(1).max(200).describe('Question shown on the form'),
    required: z.boolean().default(false).describe('The client must answer it'),
  })
  .strict();

export const intakeStart = defineNode({
  type: 'intake.start',
  kind: 'intake',
  label: 'Start onboarding intake',
  description:
    'Creates an onboarding intake with a private form link and sends it to the client. Output: { id, url, token, email }.',
  config: effectConfig({
    email: z.string().default('{{ trigger.payment.email }}').describe('Client e-mail the form link is sent to'),
    name: z.string().default('{{ trigger.payment.name }}').describe('Client name shown on the form'),
    customerId: z.string().default('{{ trigger.payment.customerId }}').describe('Stripe customer id, to link the intake to the deal'),
    credential: credentialField(['smtp'], 'SMTP credential the link is e-mailed with; without one the e-mail waits, held, in the outbox').optional(),
    expiresInDays: z.number().int().min(1).max(365).default(14).describe('Days before the form link stops working'),
    fields: z
      .array(intakeField)
      .min(1, 'needs at least one question')
      .default([
        { name: 'company', label: 'Company name', required: true },
        { name: 'primaryContact', label: 'Primary contact (name and e-mail)', required: true },
        { name: 'kickoffDate', label: 'Preferred kickoff date', required: false },
        { name: 'notes', label: 'Anything we should know?', required: false },
      ])
      .describe('Questions on the intake form'),
  }).superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.fields.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'name'], message: `"${f.name}" is used twice` });
      seen.add(f.name);
    });
  }),
  ports: ['out'] as const,
  effect: EFFECT,
  outputSample: () => ({ id: '0b6c5e1a-8f3d-4c27-b9e4-5a1d2c3e4f60', token: 'sample-token', url: 'https://handoff.example.com/intake/sample-token', email: 'client@example.com' }),
  run: async (ctx, config) => {
    const email = optionalText(config.email);
    const intake = await ctx.effects.intake.start({
      email,
      name: optionalText(config.name),
      customerId: optionalText(config.customerId),
      expiresInDays: config.expiresInDays,
      fields: config.fields,
      credential: config.credential?.credential,
    });
    return { port: 'out', output: { ...intake, email } };
  },
});
