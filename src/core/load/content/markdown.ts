// Markdown content (`content.markdown: letter.md`), rendered by markdown-it (CommonMark plus tables
// and strikethrough; raw HTML allowed, as Markdown allows it) into HTML whose every element carries
// its style inline — Gmail and Outlook drop or ignore much of a <style> block — and into the text
// part, written from the same tokens: the plain text is the Markdown read as text (headings
// underlined, links as "text (address)", lists as lists), not a conversion of the HTML.
import { loadMarkdownIt, type MarkdownIt, type MarkdownToken } from './engines';

/** The inline style of each element the renderer writes: one place for the whole look. */
export const MARKDOWN_STYLES: Readonly<Record<string, string>> = {
  h1: 'margin:0 0 16px;font-size:28px;line-height:1.25;font-weight:bold;',
  h2: 'margin:24px 0 12px;font-size:22px;line-height:1.3;font-weight:bold;',
  h3: 'margin:20px 0 8px;font-size:18px;line-height:1.35;font-weight:bold;',
  h4: 'margin:16px 0 8px;font-size:16px;line-height:1.4;font-weight:bold;',
  h5: 'margin:16px 0 8px;font-size:14px;line-height:1.4;font-weight:bold;',
  h6: 'margin:16px 0 8px;font-size:13px;line-height:1.4;font-weight:bold;',
  p: 'margin:0 0 16px;',
  ul: 'margin:0 0 16px;padding:0 0 0 24px;',
  ol: 'margin:0 0 16px;padding:0 0 0 24px;',
  li: 'margin:0 0 4px;',
  blockquote: 'margin:0 0 16px;padding:0 0 0 16px;border-left:4px solid #d0d7de;color:#57606a;',
  a: 'color:#0b5cad;text-decoration:underline;',
  img: 'max-width:100%;height:auto;border:0;',
  hr: 'margin:24px 0;border:0;border-top:1px solid #d0d7de;',
  code: 'font-family:Consolas,Menlo,monospace;font-size:14px;background-color:#f3f4f6;padding:1px 4px;',
  pre: 'margin:0 0 16px;padding:12px;background-color:#f3f4f6;font-family:Consolas,Menlo,monospace;font-size:14px;line-height:1.45;white-space:pre-wrap;',
  table: 'margin:0 0 16px;border-collapse:collapse;',
  th: 'padding:6px 12px;border:1px solid #d0d7de;font-weight:bold;text-align:left;',
  td: 'padding:6px 12px;border:1px solid #d0d7de;',
};

export interface MarkdownOptions {
  /** Mark each block with `data-line` (its first source line, 0-based): the preview's scroll sync. */
  sourceLines?: boolean;
}

let parser: MarkdownIt | undefined;

function markdownIt(): MarkdownIt {
  if (parser) return parser;
  const MarkdownItClass = loadMarkdownIt();
  const md = new MarkdownItClass('default', { html: true, linkify: false, typographer: false });
  const rules = md.renderer.rules;
  // Code carries its style on the element markdown-it writes itself.
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  rules.code_inline = (tokens, i) => `<code style="${MARKDOWN_STYLES.code}">${escape(tokens[i].content)}</code>`;
  const block = (tokens: MarkdownToken[], i: number) => {
    const line = tokens[i].attrGet('data-line');
    return `<pre style="${MARKDOWN_STYLES.pre}"${line !== null ? ` data-line="${line}"` : ''}><code>${escape(tokens[i].content)}</code></pre>\n`;
  };
  rules.code_block = block;
  rules.fence = block;
  parser = md;
  return md;
}

function styleTokens(tokens: MarkdownToken[], options: MarkdownOptions): void {
  for (const token of tokens) {
    if (token.nesting !== -1 && token.tag && MARKDOWN_STYLES[token.tag] && token.type !== 'code_inline') {
      const own = token.attrGet('style');
      token.attrSet('style', MARKDOWN_STYLES[token.tag] + (own ?? ''));
    }
    if (options.sourceLines && token.block && token.nesting !== -1 && token.map && token.level === 0) token.attrSet('data-line', String(token.map[0]));
    if (token.children) styleTokens(token.children, options);
  }
}

export interface RenderedMarkdown {
  /** The HTML fragment (no <html> or <body>): what the layout's `{{content}}` stands for. */
  html: string;
  /** The text part. */
  text: string;
}

export function renderMarkdown(source: string, options: MarkdownOptions = {}): RenderedMarkdown {
  const md = markdownIt();
  const env = {};
  const tokens = md.parse(source, env);
  const text = markdownText(tokens);
  styleTokens(tokens, options);
  return { html: md.renderer.render(tokens, md.options, env), text };
}

/** The plain text of the Markdown's tokens: what a reader of the text part sees. */
export function markdownText(tokens: MarkdownToken[]): string {
  const out: string[] = [];
  let line = '';
  const prefixes: string[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let pendingItem: string | undefined;
  let row: string[] | undefined;
  let cell: string | undefined;
  const flush = () => {
    if (!line) return;
    const prefix = prefixes.join('');
    const first = pendingItem !== undefined ? prefix.slice(0, Math.max(0, prefix.length - pendingItem.length)) + pendingItem : prefix;
    pendingItem = undefined;
    out.push(...line.split('\n').map((part, k) => (k === 0 ? first : prefix) + part));
    line = '';
  };
  const blank = () => {
    if (out.length && out[out.length - 1] !== '') out.push('');
  };
  const inline = (children: MarkdownToken[]): string => {
    let text = '';
    const links: (string | null)[] = [];
    let linkText = '';
    for (const child of children) {
      switch (child.type) {
        case 'text':
        case 'code_inline':
          text += child.content;
          if (links.length) linkText += child.content;
          break;
        case 'softbreak':
          text += '\n';
          break;
        case 'hardbreak':
          text += '\n';
          break;
        case 'image':
          text += child.content || child.children?.map((c) => c.content).join('') || '';
          break;
        case 'link_open':
          links.push(child.attrGet('href'));
          linkText = '';
          break;
        case 'link_close': {
          const href = links.pop();
          if (href && href !== linkText && `mailto:${linkText}` !== href) text += ` (${href})`;
          break;
        }
        case 'html_inline':
          if (/^<br\s*\/?>$/i.test(child.content)) text += '\n';
          break;
        default:
          break;
      }
    }
    return text;
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'heading_open':
        blank();
        break;
      case 'heading_close': {
        const heading = line;
        flush();
        if (token.tag === 'h1' || token.tag === 'h2') out.push((token.tag === 'h1' ? '=' : '-').repeat(Math.min(76, Math.max(3, heading.length))));
        out.push('');
        break;
      }
      case 'paragraph_open':
        if (!lists.length) blank();
        break;
      case 'paragraph_close':
        flush();
        if (!lists.length) out.push('');
        break;
      case 'inline':
        if (row) cell = (cell ?? '') + inline(token.children ?? []);
        else line += inline(token.children ?? []);
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        if (!lists.length) blank();
        lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (!lists.length) out.push('');
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1];
        const marker = list.ordered ? `${list.next++}. ` : '- ';
        prefixes.push(' '.repeat(marker.length));
        pendingItem = marker;
        break;
      }
      case 'list_item_close':
        flush();
        prefixes.pop();
        break;
      case 'blockquote_open':
        blank();
        prefixes.push('> ');
        break;
      case 'blockquote_close':
        flush();
        prefixes.pop();
        out.push('');
        break;
      case 'code_block':
      case 'fence':
        blank();
        out.push(...token.content.replace(/\n$/, '').split('\n').map((l) => prefixes.join('') + '    ' + l));
        out.push('');
        break;
      case 'hr':
        blank();
        out.push('-'.repeat(40));
        out.push('');
        break;
      case 'html_block':
        break;
      case 'tr_open':
        row = [];
        break;
      case 'th_close':
      case 'td_close':
        row?.push((cell ?? '').trim());
        cell = undefined;
        break;
      case 'tr_close':
        if (row) out.push(row.join(' | '));
        row = undefined;
        break;
      case 'table_open':
        blank();
        break;
      case 'table_close':
        out.push('');
        break;
      default:
        break;
    }
  }
  flush();
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}
