/** TanStack Query keys of the CRM, in one place so the live stream can refresh exactly what changed. */
export const crmKeys = {
  all: ['crm'] as const,
  stages: ['crm', 'stages'] as const,
  deals: ['crm', 'deals'] as const,
  dealList: (params: Record<string, string>) => ['crm', 'deals', params] as const,
  anyDeal: ['crm', 'deal'] as const,
  deal: (id: string) => ['crm', 'deal', id] as const,
  tasks: ['crm', 'tasks'] as const,
  taskList: (params: Record<string, string>) => ['crm', 'tasks', params] as const,
  contacts: ['crm', 'contacts'] as const,
  contactList: (q: string) => ['crm', 'contacts', q] as const,
  anyContact: ['crm', 'contact'] as const,
  contact: (id: string) => ['crm', 'contact', id] as const,
};
