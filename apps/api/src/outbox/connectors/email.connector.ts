import { createTransport } from 'nodemailer';
import { checkedAddress } from '../../outbound/outbound';
import type { Connector } from './connector';

interface SmtpSecret {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  from: string;
  ignoreTLS?: boolean;
}

/**
 * SMTP via nodemailer. At-least-once: the Message-ID is derived from the outbox id, so a
 * retry after a lost acknowledgement carries the same id and mail systems can thread/dedupe it.
 */
export const emailConnector: Connector = async (message, secret) => {
  const smtp = secret as SmtpSecret;
  if (!message.recipient) throw new Error('The email has no recipient');
  // Connect to the address that was checked against the outbound policy; TLS still verifies the host name.
  const address = await checkedAddress(smtp.host);
  const transport = createTransport({
    host: address,
    port: smtp.port,
    secure: smtp.secure,
    ignoreTLS: smtp.ignoreTLS ?? false,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    tls: { rejectUnauthorized: process.env.HANDOFF_SMTP_INSECURE_TLS !== '1', servername: smtp.host },
  });
  try {
    await transport.sendMail({
      from: smtp.from,
      to: message.recipient,
      subject: message.subject ?? '(no subject)',
      text: message.body,
      messageId: `<${message.id}@handoff>`,
    });
  } finally {
    transport.close();
  }
};
