import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', 'e2e/artifacts/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    // Module boundary: the shared node library never imports an app.
    files: ['libs/nodes/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/**', '@nestjs/*', 'react', 'react-dom', 'typeorm'], message: 'libs/nodes is pure TS shared by engine and editor: no app, Nest, React or TypeORM imports.' }] }],
    },
  },
  {
    // The browser bundle must never pull server-only executors or Node SDKs.
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@handoff/nodes/server', message: 'server-only code must not reach the Vite bundle' }], patterns: [{ group: ['**/apps/api/**'], message: 'the web app talks to the API over HTTP only' }] }],
    },
  },
);
