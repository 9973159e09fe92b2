// The outbox transport: one .eml file per message under .mailings/outbox/<mailing>/, named by the
// recipient's index so that resending a recipient (a retry, an uncertain one after a crash) replaces
// its file instead of adding a second. Each file appears whole (temp file + rename).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RenderedMessage } from '../render/renderer';
import type { DeliveryResult, Transport } from './transport';

export interface OutboxOptions {
  dir: string;
  /** File name for a message (default: the recipient index, zero-padded). */
  name?: (message: RenderedMessage) => string;
  concurrency?: number;
  /**
   * fsync each file before its rename. Off by default: rename already makes a file appear whole for
   * every reader and survives a killed process; only a power cut could leave an empty file.
   */
  sync?: boolean;
}

export function outboxFileName(index: number): string {
  return `${String(index).padStart(6, '0')}.eml`;
}

export function outboxTransport(options: OutboxOptions): Transport {
  let made: Promise<unknown> | undefined;
  let counter = 0;
  return {
    kind: 'outbox',
    concurrency: options.concurrency ?? 4,
    async deliver(message: RenderedMessage): Promise<DeliveryResult> {
      made ??= fs.mkdir(options.dir, { recursive: true });
      await made;
      const name = options.name ? options.name(message) : outboxFileName(message.index);
      const file = path.join(options.dir, name);
      const tmp = `${file}.${process.pid}.${counter++}.tmp`;
      const handle = await fs.open(tmp, 'w');
      try {
        await handle.writeFile(message.raw);
        if (options.sync) await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tmp, file);
      return { reply: `250 written to ${name}` };
    },
    async close() {},
  };
}
