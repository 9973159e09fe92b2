import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.mailings/**', '.vscode-test/**', '.tools/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS where it must be (a benchmark's `node -r` preload).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The core is shared by the CLI, the tests and the extension: it must never depend on VS Code.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core is pure: adapt it in src/extension instead.' }],
        patterns: [{ group: ['**/extension/**', '**/cli/**', '**/webview/**'], message: 'src/core must not depend on a face.' }],
      }],
    },
  },
  {
    // The webview runs in a browser: no Node and no VS Code API, only the typed protocol.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview talks to the host through src/protocol.ts only.' }],
        patterns: [{ group: ['node:*', '**/core/**', '**/extension/**'], message: 'The webview is browser code.' }],
      }],
    },
  },
);
