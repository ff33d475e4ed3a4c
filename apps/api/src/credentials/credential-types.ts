// Shared with the editor's "add credential" form: one definition in libs/nodes.
export { credentialSecretSchemas, credentialTypes, type CredentialType } from '@handoff/nodes';
