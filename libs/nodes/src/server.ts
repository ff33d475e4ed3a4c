// Server-only entry point (`@handoff/nodes/server`): connectors that need Node SDKs go
// here so they never reach the Vite bundle. Until then it is the shared API.
export * from './index';
