// The shape of the code, checked by `npm run lint` (README: design, "The core's layers"): the core
// never reaches VS Code or a face, the faces enter the core by its front door (src/core/index.ts), the
// webview only by the protocol, and the core's directories depend one way, lowest layer first.
/** The core's layers, lowest first: a module may import its own layer and the ones before it. */
const LAYERS = [
  ['leaves', '^src/core/(types\\.ts|contentHash\\.ts|facts/|time/|state/stateRoot\\.ts)'],
  ['load', '^src/core/load/'],
  ['render', '^src/core/render/'],
  ['delivery', '^src/core/(state|send|bounces|suppression|pace)/'],
  ['checks', '^src/core/(checks|inbox)/'],
  ['model', '^src/core/confirmModel\\.ts$'],
  ['schedule', '^src/core/schedule/'],
  ['actions', '^src/core/actions\\.ts$'],
  ['front door', '^src/core/index\\.ts$'],
];
const LEAVES = LAYERS[0][1];

const layerRules = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name.replace(/ /g, '-')}`,
  comment: `${name} may import only its own layer and the layers before it (${LAYERS.slice(0, i).map(([n]) => n).join(', ') || 'none'})`,
  severity: 'error',
  from: i === 0 ? { path } : { path, pathNot: LEAVES },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => p).join('|'), pathNot: LEAVES },
}));

module.exports = {
  forbidden: [
    {
      name: 'core-without-vscode',
      comment: 'src/core runs in the CLI and plain mocha: no VS Code, no face, no protocol',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^vscode$|^src/(extension|cli)/|^src/protocol\\.ts$|^webview/' },
    },
    {
      name: 'faces-by-the-front-door',
      comment: 'the extension, the CLI and the protocol import the core only from src/core/index.ts',
      severity: 'error',
      from: { path: '^src/(extension|cli)/|^src/protocol\\.ts$' },
      to: { path: '^src/core/', pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'webview-by-the-protocol',
      comment: 'the page talks to the host only through the typed messages of src/protocol.ts',
      severity: 'error',
      from: { path: '^webview/' },
      to: { path: '^src/', pathNot: '^src/protocol\\.ts$' },
    },
    {
      name: 'cli-and-extension-apart',
      comment: 'the two faces share only the core',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/extension/' },
    },
    {
      name: 'extension-without-cli',
      severity: 'error',
      from: { path: '^src/extension/' },
      to: { path: '^src/cli/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|node_modules|dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] },
  },
};
