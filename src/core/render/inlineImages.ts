// Local images in the HTML (`<img src="logo.png">`): in a message each becomes `cid:<Content-ID>` of
// an inline part beside the HTML (multipart/related, as nodemailer composes it); in the Confirm
// preview, a `data:` URI of the file (the webview can load no file of the workspace). Both rewrite
// the same references, found in the HTML model the checks use (inbox/htmlModel.ts: parsed once per
// content version), so what the checks call a local image is exactly what gets embedded.
import { promises as fs } from 'node:fs';
import { detectMimeType } from 'nodemailer/lib/mime-funcs';
import { htmlModelFor } from '../load/html/htmlModel';
import { isEmbeddedImage } from '../load/html/linkChecks';
import type { InlineImage } from '../types';

/** The key the HTML's model is kept under: the HTML file, or the mailing's inline HTML (as inbox/htmlSource.ts). */
export function htmlModelKey(mailingFile: string, htmlFile: string | undefined): string {
  return htmlFile ?? `${mailingFile}#content.html`;
}

/** The HTML with the `src` of every embedded image replaced by `address(image)`. */
export function rewriteImageSources(html: string, key: string, images: readonly InlineImage[], address: (image: InlineImage) => string): string {
  if (images.length === 0) return html;
  const bySource = new Map<string, InlineImage>();
  for (const image of images) for (const source of image.sources) bySource.set(source, image);
  let out = '';
  let last = 0;
  for (const reference of htmlModelFor(key, html).images) {
    if (!isEmbeddedImage(reference)) continue;
    const image = bySource.get(reference.value);
    if (!image) continue;
    out += html.slice(last, reference.start) + address(image);
    last = reference.end;
  }
  return last === 0 ? html : out + html.slice(last);
}

/** The HTML as a message carries it: embedded images as `cid:` addresses. */
export function htmlWithCidImages(html: string, key: string, images: readonly InlineImage[]): string {
  return rewriteImageSources(html, key, images, (image) => `cid:${image.cid}`);
}

/**
 * The HTML for the Confirm preview: embedded images as `data:` URIs of their files (read now; an
 * image that cannot be read stays as written and shows broken, as its `image-missing` says).
 */
export async function htmlWithDataImages(html: string, key: string, images: readonly InlineImage[]): Promise<string> {
  const uris = new Map<InlineImage, string>();
  await Promise.all(
    images.map(async (image) => {
      try {
        const bytes = await fs.readFile(image.path);
        uris.set(image, `data:${detectMimeType(image.filename)};base64,${bytes.toString('base64')}`);
      } catch {
        // left as written
      }
    }),
  );
  return rewriteImageSources(html, key, images.filter((image) => uris.has(image)), (image) => uris.get(image)!);
}
