// Links and images as a recipient's inbox meets them: no address or no URL (`link-invalid`), an
// address only the sender's machine or network can reach (`link-local`), one fetched in clear text
// (`link-insecure`), an image without `alt` (`image-alt-missing`; `alt=""` is a deliberate choice).
// A path relative to the HTML file is `link-local` for a link, but an image there is embedded in
// every message (localImages.ts) — unless its path holds a merge field (it would differ per
// recipient). A URL that begins with a merge field is the recipient's value: the renderer keeps it
// only as an http(s) or mailto address (render/merge.ts), and `merge-link-unsafe` names the rows.
import type { InboxFinding, UrlFacts } from '../../facts/inboxFindings';
import type { InboxHtml } from './htmlSource';
import type { ImageReference, UrlReference } from './htmlModel';
import { classifyUrl } from './urlClass';

function facts(reference: UrlReference, image: boolean): UrlFacts {
  return { url: reference.written, element: reference.element, attribute: reference.attribute, image };
}

/**
 * Whether an image is a local file the renderer embeds: an `<img src>` with a relative path and no
 * merge field. (A relative `srcset`, `background` or CSS `url()` is not embedded: clients resolve
 * `cid:` there unreliably, so it stays `link-local`.)
 */
export function isEmbeddedImage(reference: ImageReference): boolean {
  if (reference.source !== 'img' || reference.fields.length > 0) return false;
  const judged = classifyUrl(reference.value);
  return judged.kind === 'local' && judged.reason === 'relative';
}

export function findLinkProblems(html: InboxHtml): InboxFinding[] {
  const found: InboxFinding[] = [];
  const judge = (reference: UrlReference, image: boolean) => {
    if (reference.fieldAtStart) return;
    if (image && isEmbeddedImage(reference as ImageReference)) return; // localImages.ts
    const at = html.locate(reference.start, reference.end);
    const judged = classifyUrl(reference.value);
    switch (judged.kind) {
      case 'invalid':
        found.push({ kind: 'link-invalid', ...at, ...facts(reference, image), reason: judged.reason });
        break;
      case 'local':
        found.push({ kind: 'link-local', ...at, ...facts(reference, image), reason: judged.reason, ...(judged.host ? { host: judged.host } : {}) });
        break;
      case 'insecure':
        found.push({ kind: 'link-insecure', ...at, ...facts(reference, image) });
        break;
      default:
        break;
    }
  };
  for (const link of html.model.links) judge(link, false);
  for (const image of html.model.images) {
    judge(image, true);
    // At `<img`: the start tag may span lines.
    if (image.alt === 'missing') found.push({ kind: 'image-alt-missing', ...html.locate(image.tag.start, image.tag.start + 4), src: image.written });
  }
  return found;
}
