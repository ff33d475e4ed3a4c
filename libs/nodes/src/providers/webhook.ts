import { z } from 'zod';
import { defineProvider } from './provider';

/** Any system that signs its webhook requests with a shared secret (the webhook trigger). */
export const webhookProvider = defineProvider({
  id: 'webhook',
  label: 'Signed webhook',
  can: ['webhooks'],
  credentials: [
    {
      type: 'webhook.secret',
      label: 'Webhook shared secret',
      hint: 'at least 16 characters, e.g. from openssl rand -hex 32',
      secret: z.string().min(16, 'use at least 16 characters (e.g. openssl rand -hex 32)').describe('Shared secret senders sign webhook requests with'),
    },
  ],
  outbox: false,
});
