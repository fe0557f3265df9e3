// @ts-check
// Room rules (../shared/design/architecture.md section 1) are enforced here, not in review:
// app/ is environment-free, renderer/ reaches the world only through window.companion, and main/
// never imports UI code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import sdl from '@microsoft/eslint-plugin-sdl';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'stream',
  'events',
  'url',
  'util',
  'worker_threads',
];

/** @param {string[]} names */
const banned = (names, why) => names.map((name) => ({ group: [name, `${name}/*`], message: why }));

/** What every file in main/ may not import; the folder blocks below add their own layering. */
const mainPatterns = [
  ...banned(['react', 'react-dom', 'zustand'], 'main/ has no UI.'),
  {
    group: ['**/renderer/**', '../renderer', '../../renderer'],
    message: 'main/ never imports renderer code.',
  },
];

// ESLint reads the default export; the house rule against default exports yields to the tool here.
// eslint-disable-next-line no-restricted-syntax
export default tseslint.config(
  {
    ignores: [
      'test/electron-stand-in/.preview.cjs',
      'node_modules/',
      '.tools/',
      'dist/',
      'release/',
      'release-e2e/',
      '.tsbuild/',
      'test-results/',
      'playwright-report/',
      'bench-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Microsoft's SDL rules (quality-bars.md S4): eval and its cousins, innerHTML, insecure URLs,
  // postMessage to '*', Electron nodeIntegration, and the rest of its recommended set.
  ...sdl.configs.recommended,
  {
    settings: { react: { version: '19.0' } },
    rules: {
      // Loopback is not a network: the embedded sandbox and test servers speak plain HTTP on
      // 127.0.0.1 by design (S5). Everything else must be https.
      '@microsoft/sdl/no-insecure-url': [
        'error',
        {
          exceptions: [
            '^http:\\/\\/(localhost|127\\.0\\.0\\.1|\\[::1\\])([:/].*)?$',
            '^http:\\/\\/schemas\\.microsoft\\.com(\\/.*)?$',
            '^http:\\/\\/www\\.w3\\.org\\/2000\\/svg$',
          ],
        },
      ],
    },
  },
  {
    // The sandbox is the protocol's local HTTP emulator: it builds its own loopback base URL
    // from the bound host, and parses request paths against a placeholder http origin.
    files: ['main/sandbox/**/*.ts'],
    rules: { '@microsoft/sdl/no-insecure-url': 'off' },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      // Late-bound handles read by closures (window, URLs) are assigned once, after their readers exist.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Use named exports (architecture.md section 6).',
        },
      ],
    },
  },
  {
    files: ['app/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...banned(
              ['electron', 'react', 'react-dom', 'axios', 'chokidar', 'zustand'],
              'app/ is environment-free: effects belong in main/, UI in renderer/.',
            ),
            ...banned(nodeBuiltins, 'app/ is environment-free: Node APIs belong in main/.'),
            {
              group: ['**/main/**', '**/renderer/**', '../main', '../renderer'],
              message: 'app/ imports nothing from the other rooms.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...banned(
              ['electron', 'axios', 'chokidar'],
              'The renderer reaches the world only through window.companion.',
            ),
            ...banned(nodeBuiltins, 'The renderer is untrusted and has no Node.'),
            {
              group: ['**/main/**', '../main', '../../main'],
              message: 'The renderer talks to main only through the preload API.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: mainPatterns }] },
  },
  // Folder layering inside main/ (architecture.md section 8): the leaf utilities import nothing
  // else from main/, and the sandbox (a separate product) imports only them and app/. A later
  // block replaces the rule's options, so each repeats main's own patterns.
  {
    files: ['main/util/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...mainPatterns,
            {
              regex: '^\\.\\./(?!\\.\\./app/)',
              message: 'main/util/ is the leaf: it imports app/ and node, nothing else from main/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...mainPatterns,
            {
              regex: '^\\.\\./(?!util/|\\.\\./app/)',
              message: 'The sandbox imports only main/util/ and app/ (it is its own product).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...banned(
              nodeBuiltins,
              'The sandboxed preload has no Node: it may import electron and app/ only.',
            ),
            ...banned(
              ['axios', 'chokidar', 'react', 'zustand'],
              'The preload exposes verbs and nothing else.',
            ),
          ],
        },
      ],
    },
  },
);
