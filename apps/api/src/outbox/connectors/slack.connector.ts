import { IncomingWebhook } from '@slack/webhook';
import { outboundFetch } from '../../outbound/outbound';
import type { Connector } from './connector';

/**
 * Slack incoming webhook. At-least-once: Slack has no idempotency key for webhooks, so a
 * timeout after Slack accepted the post can repeat a message on retry (rare, visible).
 */
export const slackConnector: Connector = async (message, secret) => {
  const url = typeof secret === 'string' ? secret : null;
  if (!url) throw new Error('The Slack credential holds no webhook URL');
  // Through the outbound address policy: a webhook URL cannot point Handoff at the LAN or metadata.
  const webhook = new IncomingWebhook(url, { timeout: 10_000, fetch: outboundFetch });
  await webhook.send({ text: message.subject ? `*${message.subject}*\n${message.body}` : message.body });
};
