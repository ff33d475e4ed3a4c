import type { OutboxMessage } from '../outbox-message.entity';

/** Delivers one outbox message to a third party; throws to have the delivery retried. */
export type Connector = (message: OutboxMessage, secret: unknown) => Promise<void>;
