import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = {process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly'};

// Folders are the layers: each imports only from the ones below it.
const LAYERS = ['lib', 'model', 'render', 'cluster', 'services', 'cli', 'commands'];
// The pure layers (lib, model, render) reach no file system, process, network, console or clock.
const IMPURE_MODULES = ['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls', 'os', 'readline', 'worker_threads', 'cluster'].flatMap((m) => [m, `node:${m}`]);
const IMPURE_MESSAGE = 'src/lib, src/model and src/render are pure: do I/O in src/cluster and orchestrate it in src/services.';

function layerRules(layer) {
  const above = LAYERS.slice(LAYERS.indexOf(layer) + 1);
  const pure = ['lib', 'model', 'render'].includes(layer);
  const patterns = above.map((a) => ({group: [`../${a}/*`, `../../${a}/*`, `../${a}`, `../../${a}`], message: `src/${layer} may not import from src/${a} (folders are the layers: ${LAYERS.join(' < ')}).`}));
  const rules = {
    'no-restricted-imports': ['error', {patterns, paths: pure ? IMPURE_MODULES.map((name) => ({name, message: IMPURE_MESSAGE})) : []}],
  };
  if (pure) {
    rules['no-restricted-globals'] = ['error', ...['process', 'console', 'fetch', 'setTimeout', 'setInterval', 'setImmediate'].map((name) => ({name, message: `${IMPURE_MESSAGE} Inject what you need (a clock: \`now\`).`}))];
    rules['no-restricted-syntax'] = [
      'error',
      {selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: `${IMPURE_MESSAGE} Take \`now\` as a parameter.`},
      {selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `${IMPURE_MESSAGE} Take \`now\` as a parameter.`},
      {selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: `${IMPURE_MESSAGE} Inject the random source.`},
    ];
  }
  return {files: [`src/${layer}/**/*.ts`], rules};
}

export default tseslint.config(
  {ignores: ['dist/**', '.test-build/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
      'no-control-regex': 'off',
    },
  },
  {
    // The type-checked rules that catch real bugs: a promise nobody awaits, a promise where a value is expected.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: {parserOptions: {project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname}},
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  ...LAYERS.map(layerRules),
  {
    files: ['src/**/*.ts'],
    rules: {'max-lines': ['error', {max: 400, skipBlankLines: false, skipComments: false}]},
  },
  {
    // Commands parse flags and print; the work is in src/services.
    files: ['src/commands/**/*.ts'],
    rules: {'max-lines': ['error', {max: 60, skipBlankLines: false, skipComments: false}]},
  },
  {
    // chai's property assertions (`expect(x).to.be.empty`) are expressions by design.
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-unused-expressions': 'off'},
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {globals: nodeGlobals},
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {sourceType: 'commonjs', globals: {...nodeGlobals, require: 'readonly', module: 'writable'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
);
