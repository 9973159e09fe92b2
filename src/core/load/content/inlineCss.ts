// CSS inlining (`content.inlineCss`): the rules of the HTML's <style> blocks written into the
// `style` attribute of every element they select, with juice (loaded on first use: engines.ts), so
// that Gmail (which drops <style> in many of its apps) and Outlook see the styles. What cannot be
// inline stays in a <style> block: media queries, @font-face, keyframes and pseudo-classes.
import { loadJuice } from './engines';
import type { FieldTokens } from './mergeTokens';

/** Whether an HTML text has a <style> block: then inlining is the default (the schema's `inlineCss`). */
export function hasStyleBlock(html: string): boolean {
  return /<style\b/i.test(html);
}

export function inlineCss(html: string, tokens: FieldTokens): string {
  const juice = loadJuice();
  const inlined = juice(tokens.protect(html), {
    preserveMediaQueries: true,
    preserveFontFaces: true,
    preserveKeyFrames: true,
    preservePseudos: true,
    removeStyleTags: true,
    applyWidthAttributes: true,
    applyAttributesTableElements: true,
    insertPreservedExtraCss: true,
  });
  return tokens.restore(inlined);
}
