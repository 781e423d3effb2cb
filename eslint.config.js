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
