import { z } from 'zod';
import { defineProvider } from './provider';

export const slackProvider = defineProvider({
  id: 'slack',
  label: 'Slack',
  can: ['messages'],
  credentials: [{ type: 'slack.webhook', label: 'Slack incoming webhook', hint: 'https://hooks.slack.com/services/…', secret: z.url({ protocol: /^https?$/ }) }],
  outbox: true,
});
