// Logs every send event of this window's runs (the core's mailingEvents): state changes at info,
// progress at debug, and each failed recipient with its SMTP reply when a run ends. Statistics and
// the recipient log hold no secrets; SMTP settings are never logged.
import * as vscode from 'vscode';
import { getRecipientLog, mailingEvents, type Statistics } from '../core/index';
import type { MailingsLog } from './log';
import { stateRootFor } from './mailingFiles';

/** More failures than this are summed up, not listed (the Statistics page exports them all). */
const MAX_FAILURES_LOGGED = 1000;

export function logSendEvents(log: MailingsLog): vscode.Disposable {
  const onState = (file: string, stats: Statistics) => {
    log.info(`${file}: ${stats.status} — ${stats.sent} sent, ${stats.failed} failed, ${stats.deferred} deferred, ${stats.pending} pending of ${stats.total}${stats.stoppedReason ? ` (${stats.stoppedReason})` : ''}`);
    if (stats.status === 'completed' || stats.status === 'stopped') void logFailures(log, file);
  };
  const onProgress = (file: string, stats: Statistics) => {
    log.debug(`${file}: ${stats.sent} sent, ${stats.failed} failed, ${stats.deferred} deferred of ${stats.total}, ${stats.ratePerMinute}/min`);
  };
  mailingEvents.on('state', onState);
  mailingEvents.on('progress', onProgress);
  return {
    dispose: () => {
      mailingEvents.off('state', onState);
      mailingEvents.off('progress', onProgress);
    },
  };
}

async function logFailures(log: MailingsLog, file: string): Promise<void> {
  try {
    const entries = await getRecipientLog(file, stateRootFor(vscode.Uri.file(file)));
    const failed = entries.filter((entry) => entry.outcome === 'failed' || entry.outcome === 'uncertain');
    for (const entry of failed.slice(0, MAX_FAILURES_LOGGED)) {
      log.warn(`${file}: ${entry.email} ${entry.outcome} after ${entry.attempts} attempt(s): ${entry.reply ?? ''}`);
    }
    if (failed.length > MAX_FAILURES_LOGGED) log.warn(`${file}: … and ${failed.length - MAX_FAILURES_LOGGED} more (export the recipient log from Statistics)`);
  } catch (error) {
    log.error(`${file}: reading the recipient log failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
