// Lint: typescript-eslint's recommended rules plus the project's own guard rails (no eval, no innerHTML, import
// boundaries).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

// Import boundaries (see README "Architecture"). The core folders under src/ are entered only through their
// index.ts (the engine also through engine/types), and the layers only import downwards:
//   src/engine  ←  src/capture, src/suggest  ←  src/report  ←  src/har  ←  src/cli, extension/*
// Specifiers are matched as written: relative paths, so `(../)+` and an optional `src/` cover every importer.
const CORE = ['engine', 'capture', 'suggest', 'report', 'har'];
const PUBLIC_ENTRY = { engine: '(?:index|types)' };
const TOP = ['cli', 'extension'];
/** What each folder may not import at all: everything above it (and its peers that sit beside it). */
const FORBIDDEN_LAYERS = {
  engine: ['capture', 'suggest', 'report', 'har', ...TOP],
  capture: ['suggest', 'report', 'har', ...TOP],
  suggest: ['capture', 'report', 'har', ...TOP],
  report: ['har', ...TOP],
  har: TOP,
  cli: ['extension'],
  extension: ['cli'],
};
const folderRe = (name) => (name === 'extension' ? name : `(?:src/)?${name}`);
const deepImport = (folder) => ({
  regex: `^(?:\\.\\./)+${folderRe(folder)}/(?!${PUBLIC_ENTRY[folder] ?? 'index'}$)`,
  message: `Import src/${folder} through its index.ts${folder === 'engine' ? ' (or engine/types)' : ''}, not a file inside it.`,
});
const upwardImport = (from, to) => ({
  regex: `^(?:\\.\\./)+${folderRe(to)}(?:/|$)`,
  message: `${from} may not import ${to}: the layers run engine ← capture, suggest ← report ← har ← cli, extension, and imports point down, never up or sideways.`,
});
function boundaryRules(folder) {
  const patterns = [
    ...CORE.filter((f) => f !== folder).map(deepImport),
    ...FORBIDDEN_LAYERS[folder].map((to) => upwardImport(folder, to)),
  ];
  return { 'no-restricted-imports': ['error', { patterns }] };
}
const boundaries = Object.keys(FORBIDDEN_LAYERS).map((folder) => ({
  files: folder === 'extension' ? ['extension/**/*.{ts,tsx,mts,mjs}'] : [`src/${folder}/**/*.{ts,tsx,mts,mjs}`],
  rules: boundaryRules(folder),
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test/oracle/recordings/**',
      'bench/out/**',
      '.artifacts/**',
      'test/unit/suggest/golden/**',
      '**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Render hostile data as React text, never as HTML.' },
        { property: 'outerHTML', message: 'Render hostile data as React text, never as HTML.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Hostile header values must stay text.',
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  // The Rules of Hooks and the React Compiler's checks (https://react.dev/reference/rules) for the extension's
  // components and hooks; exhaustive-deps is an error here, as a stale closure in a panel view is a wrong display.
  {
    files: ['extension/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: { ...reactHooks.configs.flat.recommended.rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  ...boundaries,
);
