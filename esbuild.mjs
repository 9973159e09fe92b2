// One build script, three bundles: the extension (Node, `vscode` external), the CLI (Node) and the
// webview pages (browser). Tests are compiled by `tsc` to out/ and are not bundled.
import { promises as fs } from 'node:fs';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// The `yaml` package reads `process.env.LOG_TOKENS` / `LOG_STREAM` (debug switches) once per token;
// in Node every process.env read crosses into C++, which is half of parsing a typical mailing. The
// bundles we ship fold those switches to `false`. The plugin fails the build if the pattern goes
// away in a new yaml version, so this never silently stops applying.
const yamlDebugSwitches = {
  name: 'yaml-debug-switches',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/](dist|browser[\\/]dist)[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ }, async (args) => {
      const source = await fs.readFile(args.path, 'utf8');
      const patched = source.replace(/\b(?:node_process|process)\.env\.(?:LOG_TOKENS|LOG_STREAM)\b/g, 'false');
      if (patched === source) throw new Error(`yaml-debug-switches: no debug switch found in ${args.path}; review the plugin`);
      return { contents: patched, loader: 'js' };
    });
  },
};

/** The version `mailings --version` prints (src/cli/version.ts), written into the CLI bundle. */
const { version } = JSON.parse(await fs.readFile(new URL('./package.json', import.meta.url), 'utf8'));

// caniemail (ESM) loads its data with `createRequire(import.meta.url)('../data/caniemail.json')`,
// which a CommonJS bundle cannot do (no import.meta.url, and no node_modules beside the bundle): the
// JSON is imported instead, so esbuild carries it in the bundle. The build fails if the module
// changes shape, so this never silently stops applying.
const caniemailData = {
  name: 'caniemail-data',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]caniemail[\\/]dist[\\/]json\.js$/ }, async (args) => {
      const source = await fs.readFile(args.path, 'utf8');
      if (!source.includes("require('../data/caniemail.json')")) throw new Error(`caniemail-data: ${args.path} no longer loads ../data/caniemail.json; review the plugin`);
      return { contents: "import data from '../data/caniemail.json';\nexport const caniEmailJson = data;\n", loader: 'js', resolveDir: args.path.replace(/[\\/][^\\/]*$/, '') };
    });
  },
};

// The mailing schema's validator, generated at build time as ajv's standalone code (see
// src/core/load/precompiledSchema.ts) from the schema and the options schema.ts compiles it with at
// run time elsewhere. The build fails if the module it replaces changes shape.
const precompiledSchema = {
  name: 'precompiled-schema',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]core[\\/]load[\\/]precompiledSchema\.ts$/ }, async (args) => {
      const source = await fs.readFile(args.path, 'utf8');
      if (!source.includes('export const precompiledValidator: ValidateFunction | undefined = undefined;')) throw new Error(`precompiled-schema: ${args.path} changed shape; review the plugin`);
      const { default: Ajv } = await import('ajv');
      const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
      const read = async (file) => JSON.parse(await fs.readFile(new URL(file, import.meta.url), 'utf8'));
      const ajv = new Ajv({ ...(await read('./src/core/load/schemaOptions.json')), code: { source: true } });
      const code = standaloneCode(ajv, ajv.compile(await read('./schemas/mailing.schema.json')));
      return { contents: `${code}\nmodule.exports = { precompiledValidator: module.exports.default };\n`, loader: 'js', resolveDir: new URL('.', import.meta.url).pathname };
    });
  },
};

// Modules loaded on first use, never at start-up: the content engines (src/core/load/content/engines.ts;
// mjml alone is about 16 MB of bundled code) and the bounce mailbox's IMAP client and MIME parser
// (src/core/bounces/: with their dependencies 2.4 MB, a third of what every CLI command and every
// activation parsed before it could start). Each is a side bundle beside the others (dist/mjml.js,
// …), and the bundles that `require` one get `require('./mjml.js')` instead of a copy.
const LAZY_MODULES = ['mjml', 'juice', 'markdown-it', 'imapflow', 'mailparser'];
const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${LAZY_MODULES.join('|')})$`) }, (args) => ({ path: `./${args.path}.js`, external: true }));
  },
};

/** The flags the CLI's shebang gives node; bench/send.mjs reads them from dist/cli.js. */
const CLI_NODE_FLAGS = '--max-semi-space-size=4';

const common = {
  bundle: true,
  plugins: [yamlDebugSwitches, caniemailData, lazyModules, precompiledSchema],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The CLI is the headless sender: a smaller young generation (4 MB semi-spaces instead of 16)
    // keeps a 100,000-recipient send's peak memory down by about 30 MB at no measured cost in speed (`npm run bench`
    // sends with these flags and with node's defaults). `env -S` passes them on (Linux, macOS; npm's
    // Windows shims read it too).
    banner: { js: `#!/usr/bin/env -S node ${CLI_NODE_FLAGS}` },
    define: { MAILINGS_VERSION: JSON.stringify(version) },
  },
  {
    // The SMTP worker thread's script sits beside the bundles that start it (extension, CLI, core).
    ...common,
    entryPoints: { smtpWorker: 'src/core/send/smtpWorker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The core as one module, as the extension and CLI bundles carry it: what `npm run bench` measures.
    ...common,
    entryPoints: { core: 'src/core/index.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The modules loaded on first use, one bundle each (see lazyModules above).
    ...common,
    plugins: [],
    entryPoints: Object.fromEntries(LAZY_MODULES.map((name) => [name, name])),
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { confirm: 'webview/confirm/main.ts', preview: 'webview/preview/main.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // Runnable as it is (`./dist/cli.js`), as npm makes the installed bin.
  await fs.chmod('dist/cli.js', 0o755);
}
