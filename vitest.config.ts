import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Aliases mirror tsconfig.base.json paths: the apps import the library's source.
const alias = [
  { find: /^@handoff\/nodes\/server$/, replacement: root('./libs/nodes/src/server.ts') },
  { find: /^@handoff\/nodes$/, replacement: root('./libs/nodes/src/index.ts') },
];

// NestJS DI and TypeORM need emitDecoratorMetadata, which esbuild does not emit; swc does.
const nestSwc = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
  });

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'nodes', environment: 'node', include: ['libs/nodes/src/**/*.spec.ts'] },
      },
      {
        resolve: { alias },
        plugins: [nestSwc()],
        test: {
          name: 'api',
          environment: 'node',
          include: ['apps/api/src/**/*.spec.ts', 'apps/api/test/**/*.spec.ts'],
          exclude: ['apps/api/src/**/*.int.spec.ts'],
        },
      },
      {
        resolve: { alias },
        plugins: [nestSwc()],
        test: {
          name: 'api-int',
          environment: 'node',
          include: ['apps/api/src/**/*.int.spec.ts'],
          globalSetup: ['apps/api/test/global-setup.ts'],
          setupFiles: ['reflect-metadata'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file gets its own database cloned from a migrated template; files run
          // in parallel on the 2 cores without sharing rows.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: { name: 'web', environment: 'node', include: ['apps/web/src/**/*.spec.{ts,tsx}'] },
      },
    ],
  },
});
