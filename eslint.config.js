// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// Layering rules (docs/architecture.md): platforms stay at the edge, commands
// know no platform, records know no one. process.env is read in src/config.ts only.
const platformImports = [
  '**/platforms/wecom/*',
  '**/platforms/dingtalk/*',
  '**/platforms/sandbox/*',
]

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration through src/config.ts.',
        },
      ],
    },
  },
  {
    // Node 20's V8 clones a spread-first literal into an object that every property added
    // after it then slows: `{ ...a, b: 1 }` cost 0.5 µs per property, Object.assign 0.05 µs
    // (docs/performance.md, session 5). Tests may spread as they like.
    files: ['src/**', 'jobs/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
          message:
            'Write Object.assign({}, a, { b }) for { ...a, b } (a V8 cliff: docs/performance.md).',
        },
      ],
    },
  },
  {
    files: ['src/config.ts', 'test/**', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['src/commands/**', 'src/bot/**', 'src/reminders/**', 'src/parse/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: platformImports,
              message: 'Commands and domain logic know no concrete platform.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/records/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/platforms/**', '**/commands/**', '**/bot/**', '**/http/**'],
              message: 'records/ depends only on ioredis, zod and errors.',
            },
          ],
        },
      ],
    },
  },
)
