import { Connection } from 'jsforce';
import { salesforceSecret, type SalesforceSecret } from '@handoff/nodes';
import { assertUrlAllowed, checkedAddress } from '../../outbound/outbound';
import type { Connector } from './connector';
import { dealPerson } from './crm-deal-payload';
import { crmWriteOf, type CrmWrite } from './crm-write';
import { errorCodeOf, upsert, upsertContact, userIdByEmail } from './salesforce-api';
import { opportunityUpsert, taskUpsert } from './salesforce-records';

/**
 * Salesforce through jsforce (REST). Every record is upserted by an External ID field
 * (`PATCH /sobjects/<Object>/<field>/<value>`): the Contact by the Stripe customer id (else the
 * e-mail key), the Opportunity by the Stripe object id, the Task by the step's key. A retried
 * delivery, even after Salesforce did the write and the answer was lost, lands on the same
 * records. The field names come from the credential. See docs/connectors.md.
 */
export const salesforceConnector: Connector = async (message, secret) => {
  const parsed = salesforceSecret.safeParse(secret);
  if (!parsed.success) throw new Error('The Salesforce credential needs an instanceUrl and an accessToken');
  const sf = parsed.data;
  const write = crmWriteOf(message);
  // jsforce opens its own sockets and takes no lookup: the instance's address is checked first.
  await checkedAddress(assertUrlAllowed(sf.instanceUrl).hostname);
  const conn = new Connection({ instanceUrl: sf.instanceUrl.replace(/\/+$/, ''), accessToken: sf.accessToken, version: sf.apiVersion });
  try {
    await deliver(conn, sf, write);
  } catch (e) {
    const code = errorCodeOf(e);
    throw new Error(`Salesforce: ${code ? `${code}: ` : ''}${((e as Error).message ?? String(e)).slice(0, 500)}`, { cause: e });
  }
};

async function deliver(conn: Connection, sf: SalesforceSecret, write: CrmWrite): Promise<void> {
  if ('deal' in write) {
    const contactId = await upsertContact(conn, sf, dealPerson(write.deal));
    await upsert(conn, opportunityUpsert(sf, write.deal, contactId, new Date().toISOString().slice(0, 10)));
  } else if ('contact' in write) {
    await upsertContact(conn, sf, write.contact, write.contact.properties);
  } else if ('task' in write) {
    const { task } = write;
    const ownerId = await userIdByEmail(conn, task.assignee);
    const whoId = task.person ? await upsertContact(conn, sf, task.person) : null;
    await upsert(conn, taskUpsert(sf, task, whoId, ownerId));
  } else {
    throw new Error('Salesforce has no tickets here: use a HubSpot credential for crm.createTicket');
  }
}
