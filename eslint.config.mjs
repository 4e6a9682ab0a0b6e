// Lint rules. The import boundaries are the point: the domain stays pure, and nothing the real
// Azure host loads may depend on the local host or the tests (docs/architecture.md, Layers).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Each block below restates the patterns of the blocks before it: for one rule, the last block that
// matches a file replaces the options of the earlier ones.
const appOnly = {
  group: ['**/local/**', '**/local-plugins/**', '**/test/**'],
  message: 'The app must not know the local host or the tests.',
};
const portsOnly = {
  group: ['**/adapters/**', '@azure/cosmos'],
  message: 'Use-cases depend on ports; adapters are wired in shared/services.ts.',
};
const belowTriggers = {
  regex: '^(\\.\\./)+(functions|orchestrations)/',
  message: 'shared/ lies below the triggers: it must not import functions/ or orchestrations/.',
};
/** The application modules under shared/: use-cases, ports and the domain. */
const APPLICATION_MODULES = [
  'booking',
  'catalog',
  'inventory',
  'profile',
  'notifications',
  'health',
  'realtime',
  'ports',
  'domain',
  'demo',
  'recommendations',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', '.data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        AbortController: 'readonly',
        structuredClone: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        document: 'readonly',
        window: 'readonly',
        localStorage: 'readonly',
        sessionStorage: 'readonly',
        WebSocket: 'readonly',
        navigator: 'readonly',
        HTMLElement: 'readonly',
        location: 'readonly',
        history: 'readonly',
        crypto: 'readonly',
        atob: 'readonly',
        btoa: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // The browser client: browser globals only, and no reach into the server's code. Two
    // exceptions: shared/contracts (the wire protocol both sides run, pure by its own rule below)
    // is imported as it is, and the API's types come by `import type` (erased at build, so nothing
    // enters the bundle) from the pure domain and the type-only view modules. Inline
    // `import { type X }` from those is refused: under verbatimModuleSyntax it would leave a
    // side-effect import of the server module behind.
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, process: 'off', Buffer: 'off', setImmediate: 'off' } },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)shared/(domain/|booking/view(\\.js)?$|errors(\\.js)?$)',
              allowTypeImports: true,
              message:
                'web/ takes only types from shared/domain, shared/booking/view and shared/errors: use `import type`.',
            },
            {
              regex: '(^|/)shared(/(?!contracts/)|$)',
              message:
                'web/ is a browser bundle: talk to the API over HTTP (values from shared/contracts, types only from shared/domain, shared/booking/view and shared/errors).',
            },
            {
              group: ['**/local/**', '**/functions/**', 'node:*'],
              message: 'web/ is a browser bundle: talk to the API over HTTP.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    // The fidelity apps are plain CommonJS Functions apps, written as Microsoft's samples are.
    files: ['test/fidelity/apps/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The local host runs any Functions app: it knows none. What one app wants of it lives in that
    // app's plugins (Marquee's in local-plugins/, listed by its local.host.json).
    files: ['local/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(shared|functions|orchestrations|local-plugins)(/|$)',
              message:
                'local/ is the host of any app: it must not import the app (shared/, functions/, orchestrations/) or its plugins.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/**/*.ts', 'orchestrations/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [appOnly, portsOnly] }] },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [appOnly, belowTriggers] }] },
  },
  {
    files: [`shared/{${APPLICATION_MODULES.join(',')}}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [appOnly, belowTriggers, portsOnly] }] },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            appOnly,
            belowTriggers,
            portsOnly,
            { group: ['@azure/*', 'durable-functions'], message: 'shared/domain is pure: no Azure SDKs.' },
            { group: ['**/http/**', 'node:*'], message: 'shared/domain is pure: no I/O.' },
          ],
        },
      ],
    },
  },
  {
    // The wire protocol both the server and the browser bundle load: it imports only its own
    // siblings, so nothing of the server (Node, Azure, the domain) can reach the browser through it.
    files: ['shared/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'shared/contracts is pure and self-contained: import only other shared/contracts modules.',
            },
          ],
        },
      ],
    },
  },
);
