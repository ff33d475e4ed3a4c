import { z } from 'zod';
import { defineProvider } from './provider';

export const emailProvider = defineProvider({
  id: 'email',
  label: 'E-mail',
  can: ['messages'],
  credentials: [
    {
      type: 'smtp',
      label: 'SMTP server',
      hint: '',
      secret: z.object({
        host: z.string().min(1).describe('e.g. smtp.postmarkapp.com'),
        port: z.number().int().min(1).max(65535).default(587),
        secure: z.boolean().default(false).describe('TLS from the start (usually port 465)'),
        user: z.string().optional(),
        pass: z.string().optional(),
        from: z.string().min(3).describe('Sender, e.g. Handoff <ops@example.com>'),
        /** Never upgrade to TLS with STARTTLS (a local relay or test server without a certificate). */
        ignoreTLS: z.boolean().optional().describe('Never upgrade to TLS (a local relay without a certificate)'),
      }),
    },
  ],
  outbox: true,
});
