// Lint with type information. Strictness is automated: floating promises, non-exhaustive switches and
// `.only` are errors, and the dependency direction of DESIGN.md is checked (the platform imports no
// capability and nothing imports src/main; process.env is read only at the composition root).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.scratch/**', 'web/vite.config.ts', 'eslint.config.mjs', 'bin/**', 'scripts/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json', './web/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'it', property: 'only' }, { object: 'describe', property: 'only' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/main/**'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration from Config (src/platform/config.ts); only src/main reads the environment.' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/*'], message: 'Nothing imports the composition root.' }] }],
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/main/*'], message: 'Nothing imports the composition root.' },
        { group: ['../../codesets/*', '../../patients/*', '../../encounters/*', '../../grouper/*', '../../mce/*', '../../coding/*', '../../documents/*', '../../release/*', '../../interop/*', '../codesets/*', '../patients/*'], message: 'The platform knows nothing of any capability.' },
      ] }],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.mts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
