import { defineConfig } from 'tsup';

// One CommonJS bundle for Node. tsup switches to swc for decorators because the
// tsconfig sets emitDecoratorMetadata (Nest DI and TypeORM need the metadata).
// Dependencies from node_modules stay external; @handoff/nodes is bundled from source.
export default defineConfig({
  // The expression sandbox's worker is its own file: worker threads load it by name.
  entry: { main: 'apps/api/src/main.ts', 'expression-worker': 'apps/api/src/engine/sandbox/expression-worker.ts' },
  outDir: 'dist/api',
  format: ['cjs'],
  platform: 'node',
  target: 'node20',
  tsconfig: 'apps/api/tsconfig.json',
  sourcemap: true,
  clean: true,
  splitting: false,
  noExternal: [/^@handoff\//],
});
