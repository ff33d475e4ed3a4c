import { defineProvider } from './provider';

/** Handoff's own CRM: written in the step's transaction, so it needs no credential and no outbox. */
export const builtinProvider = defineProvider({
  id: 'builtin',
  label: 'Built-in CRM',
  can: ['deals', 'contacts', 'tasks'],
  credentials: [],
  outbox: false,
});
