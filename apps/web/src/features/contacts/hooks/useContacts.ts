import { useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../../../api/client';
import type { ContactDetail, ContactSummary, Page } from '../../../api/types';
import { crmKeys } from '../../crm/lib/keys';

export function useContacts(q: string) {
  return useQuery({
    queryKey: crmKeys.contactList(q),
    queryFn: ({ signal }) => api.get<Page<ContactSummary>>(withQuery('/api/crm/contacts', { q, limit: 200 }), signal),
    placeholderData: (prev) => prev,
  });
}

export function useContact(id: string) {
  return useQuery({
    queryKey: crmKeys.contact(id),
    queryFn: ({ signal }) => api.get<ContactDetail>(`/api/crm/contacts/${encodeURIComponent(id)}`, signal),
  });
}
