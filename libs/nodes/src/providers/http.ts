import { z } from 'zod';
import { defineProvider } from './provider';

/** Any HTTP API: called during the step (its answer feeds later steps), so not through the outbox. */
export const httpProvider = defineProvider({
  id: 'http',
  label: 'HTTP request',
  can: ['requests'],
  credentials: [
    { type: 'http.header', label: 'HTTP header (API key)', hint: '', secret: z.object({ name: z.string().min(1).describe('e.g. Authorization'), value: z.string().min(1) }) },
  ],
  outbox: false,
});
