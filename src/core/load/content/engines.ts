// The content engines — mjml, juice, markdown-it — loaded on first use, never at start-up: mjml alone
// takes about a second to load (it brings cheerio, htmlnano, cssnano, js-beautify), so activation of the
// extension and the validation of an HTML mailing must not pay for it. Each is `require`d inside a
// function; the shipped bundles (esbuild.mjs) resolve these three names to side bundles beside them
// (dist/mjml.js, dist/juice.js, dist/markdown-it.js), so they are not even parsed before they are needed.
// Only what this project calls is typed here.

export interface MjmlError {
  line: number;
  message: string;
  tagName: string;
  /** `Line N of <file>[, included at …] (<tag>) — <message>`: the only place that names the file. */
  formattedMessage: string;
}

export interface MjmlOptions {
  validationLevel: 'strict' | 'soft' | 'skip';
  /** The file the text is (what includes are relative to); must exist. */
  filePath: string;
  actualPath?: string;
  ignoreIncludes: boolean;
  /** Folders besides the file's own that includes may read from. */
  includePath?: string[];
  keepComments?: boolean;
  preprocessors?: ((xml: string) => string)[];
  minify?: boolean;
  beautify?: boolean;
}

export type Mjml = (text: string, options: MjmlOptions) => Promise<{ html: string; errors: MjmlError[] }>;

export interface JuiceOptions {
  preserveMediaQueries?: boolean;
  preserveFontFaces?: boolean;
  preserveKeyFrames?: boolean;
  preservePseudos?: boolean;
  removeStyleTags?: boolean;
  applyWidthAttributes?: boolean;
  applyHeightAttributes?: boolean;
  applyAttributesTableElements?: boolean;
  insertPreservedExtraCss?: boolean;
  xmlMode?: boolean;
}

export type Juice = (html: string, options?: JuiceOptions) => string;

/** The parts of markdown-it's API the Markdown renderer uses. */
export interface MarkdownToken {
  type: string;
  tag: string;
  attrs: [string, string][] | null;
  map: [number, number] | null;
  nesting: 1 | 0 | -1;
  level: number;
  children: MarkdownToken[] | null;
  content: string;
  markup: string;
  info: string;
  block: boolean;
  hidden: boolean;
  attrGet(name: string): string | null;
  attrSet(name: string, value: string): void;
}

export interface MarkdownIt {
  parse(text: string, env: object): MarkdownToken[];
  renderer: {
    render(tokens: MarkdownToken[], options: object, env: object): string;
    renderToken(tokens: MarkdownToken[], index: number, options: object): string;
    rules: Record<string, ((tokens: MarkdownToken[], index: number, options: object, env: object, self: MarkdownIt['renderer']) => string) | undefined>;
  };
  options: object;
}

type MarkdownItFactory = new (preset: 'commonmark' | 'default', options?: { html?: boolean; linkify?: boolean; typographer?: boolean; breaks?: boolean }) => MarkdownIt;

let mjml: Mjml | undefined;
let juice: Juice | undefined;
let markdownIt: MarkdownItFactory | undefined;

/** Whether mjml was loaded in this process (tests and the bench check that HTML mailings never load it). */
export function mjmlLoaded(): boolean {
  return mjml !== undefined;
}

export function loadMjml(): Mjml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
  mjml ??= require('mjml') as Mjml;
  return mjml;
}

export function loadJuice(): Juice {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
  juice ??= require('juice') as Juice;
  return juice;
}

export function loadMarkdownIt(): MarkdownItFactory {
  if (markdownIt) return markdownIt;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
  const loaded = require('markdown-it') as MarkdownItFactory | { default: MarkdownItFactory };
  // Its side bundle is built from the package's ES module (its `default` export); node_modules gives the CommonJS one.
  markdownIt = 'default' in loaded ? loaded.default : loaded;
  return markdownIt;
}
