// Lint: type-aware rules that catch what tests miss in async code (floating promises), and the purity
// boundary of packages/rules.
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/coverage/**', '**/dist/**', 'bench-results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The rules are pure: data in, data out. No I/O, no clock, no environment.
    files: ['packages/rules/src/**/*.ts'],
    ignores: ['packages/rules/src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'fs/*',
                'path',
                'os',
                'net',
                'http',
                'https',
                'child_process',
                'process',
                'crypto',
                'kafkajs',
                'ioredis',
                'bullmq',
                'pino',
                'fastify',
                '@warnline/runtime',
                '@warnline/infra',
              ],
              message: 'packages/rules is pure: no I/O imports. Put I/O in src/cli or a service.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'packages/rules must not read the environment or the process.' },
        { name: 'fetch', message: 'packages/rules must not do I/O.' },
        { name: 'setTimeout', message: 'packages/rules must not use timers.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'No clock in packages/rules: take the date as input.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'No clock in packages/rules: take the date as input.',
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
