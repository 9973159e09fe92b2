// Local images: `<img src="logo.png">` relative to the HTML file works in every inbox because the
// renderer embeds the file in each message as an inline (CID) part (render/inlineImages.ts). Here
// each such image is resolved under the path policy (a file outside the workspace is never read),
// found or not before anything is sent, hashed (what the snapshot freezes and contentHash covers)
// and measured: an image over 1 MB, or local images over 5 MB together, make every message heavy.
import * as path from 'node:path';
import type { FileAccess } from '../fileCache';
import { resolveReference, type PathPolicy } from '../pathPolicy';
import type { InlineImage } from '../../types';
import type { InboxFinding } from '../../facts/inboxFindings';
import type { ImageReference } from './htmlModel';
import type { InboxHtml } from './htmlSource';
import { isEmbeddedImage } from './linkChecks';

export const IMAGE_MAX_BYTES = 1024 * 1024;
export const IMAGES_MAX_BYTES = 5 * 1024 * 1024;

export interface LocalImages {
  images: InlineImage[];
  findings: InboxFinding[];
  /** Every file the images lead to (existing or not; a link and its target): for the editor's watcher. */
  referenced: string[];
}

/** The file path an image `src` names: its query and fragment dropped, percent-escapes decoded. */
export function imagePath(src: string): string {
  const bare = src.replace(/[?#].*$/, '');
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

/** The `<img>` references the renderer embeds: relative paths without merge fields. */
export function embeddedImageReferences(html: InboxHtml): ImageReference[] {
  return html.model.images.filter((image) => image.source === 'img' && isEmbeddedImage(image));
}

export async function resolveLocalImages(html: InboxHtml, policy: PathPolicy, files: FileAccess): Promise<LocalImages> {
  const findings: InboxFinding[] = [];
  const referenced = new Set<string>();
  const byFile = new Map<string, { image?: InlineImage; references: ImageReference[]; problem?: InboxFinding }>();
  const order: string[] = [];
  const pending: Promise<void>[] = [];

  for (const reference of embeddedImageReferences(html)) {
    const at = html.locate(reference.start, reference.end);
    const resolved = resolveReference(policy, html.dir, imagePath(reference.value));
    referenced.add(resolved.file);
    if (resolved.written !== resolved.file) referenced.add(resolved.written);
    if (!resolved.ok) {
      findings.push({ kind: 'path-outside', ...at, src: reference.written, path: resolved.file, root: resolved.root });
      continue;
    }
    let entry = byFile.get(resolved.file);
    if (!entry) {
      entry = { references: [] };
      byFile.set(resolved.file, entry);
      order.push(resolved.file);
      const target = entry;
      const file = resolved.file;
      pending.push(
        files.sha256(file).then((result) => {
          if (result.ok) {
            target.image = { sources: [], path: file, filename: path.basename(file), size: result.stamp.size, sha256: result.value, cid: '' };
          } else {
            const found = result.problem;
            const problem = found.kind === 'missing' ? 'missing' : found.kind === 'unreadable' && found.reason === 'folder' ? 'not-a-file' : 'unreadable';
            const message = found.kind === 'unreadable' && found.detail ? found.detail : problem;
            target.problem = { kind: 'image-missing', range: at.range, src: '', path: file, problem, message };
          }
        }),
      );
    }
    entry.references.push(reference);
  }
  await Promise.all(pending);

  const images: InlineImage[] = [];
  let total = 0;
  let first: ImageReference | undefined;
  for (const file of order) {
    const entry = byFile.get(file)!;
    if (entry.problem && entry.problem.kind === 'image-missing') {
      // Every place the missing file is named.
      for (const reference of entry.references) findings.push({ ...entry.problem, ...html.locate(reference.start, reference.end), src: reference.written });
      continue;
    }
    const image = entry.image!;
    image.sources = [...new Set(entry.references.map((r) => r.value))];
    image.cid = `img${images.length + 1}.${image.sha256.slice(0, 16)}@mailings`;
    images.push(image);
    total += image.size;
    first ??= entry.references[0];
    if (image.size > IMAGE_MAX_BYTES) {
      const reference = entry.references[0];
      findings.push({ kind: 'image-large', ...html.locate(reference.start, reference.end), scope: 'one', bytes: image.size, limit: IMAGE_MAX_BYTES, src: reference.written });
    }
  }
  if (total > IMAGES_MAX_BYTES && first) {
    findings.push({ kind: 'image-large', ...html.locate(first.start, first.end), scope: 'all', bytes: total, limit: IMAGES_MAX_BYTES, count: images.length });
  }
  return { images, findings, referenced: [...referenced] };
}
