import { isOutboxChannel, type OutboxChannel } from '@handoff/nodes';
import type { Connector } from './connector';
import { emailConnector } from './email.connector';
import { hubspotConnector } from './hubspot.connector';
import { salesforceConnector } from './salesforce.connector';
import { slackConnector } from './slack.connector';

/**
 * One connector per outbox channel, i.e. per provider declared with `outbox: true` in
 * libs/nodes/src/providers: a provider without its connector here does not compile.
 */
const connectors: Record<OutboxChannel, Connector> = {
  hubspot: hubspotConnector,
  salesforce: salesforceConnector,
  slack: slackConnector,
  email: emailConnector,
};

export function connectorFor(channel: string): Connector | undefined {
  return isOutboxChannel(channel) ? connectors[channel] : undefined;
}
