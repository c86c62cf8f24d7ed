// Lint: typed rules for promises everywhere, workflow code kept deterministic (no Node built-ins, no I/O layers), no focused or skipped tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', '.tools/', 'coverage/', 'ui-templates/', 'api/assets/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'path', 'crypto', 'child_process', 'net', 'http', 'https', 'os'], message: 'Workflow code must stay deterministic: no Node built-ins.' },
          { group: ['../db/*', '../api/*', '../integrations/*', '../db', '../api', '../integrations'], message: 'Workflows reach the database and platforms only through activities.' },
          { group: ['../activities', '../activities/*'], message: 'Use `import type` for activities in workflow code.', allowTypeImports: true },
        ],
      }],
    },
  },
  {
    // A focused or skipped test left in a commit silently stops the rest of the suite from running in CI.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'MemberExpression[object.name=/^(describe|it|test)$/][property.name=/^(only|skip)$/]', message: 'Do not commit .only or .skip: every test runs in CI.' },
        { selector: 'MemberExpression[object.object.name=/^(describe|it|test)$/][property.name=/^(only|skip)$/]', message: 'Do not commit .only or .skip: every test runs in CI.' },
        { selector: 'CallExpression[callee.name=/^(fit|fdescribe|xit|xdescribe|xtest)$/]', message: 'Do not commit fit/fdescribe/xit/xdescribe/xtest: every test runs in CI.' },
        { selector: 'MemberExpression[object.name=/^(fit|fdescribe|xit|xdescribe|xtest)$/]', message: 'Do not commit fit/fdescribe/xit/xdescribe/xtest: every test runs in CI.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
);
