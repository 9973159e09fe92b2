// Send test, Send now, Start and Stop: the checks the user should hear about first (trust, state,
// errors, SMTP), a modal confirmation with the recipient count and where the messages go before
// anything is mailed, then the core's action under a cancellable progress notification (cancel =
// Stop); every result says where the messages went (the SMTP server's host:port, or the outbox).
import * as vscode from 'vscode';
import { assertAuthAllowed, type ConfirmModel, describeDestination, type Destination, destinationOf, getConfirmedMailing, hostPort, PlainAuthRefusedError, previewResend, resendMailing, type ResolvedMailing, type SendContext, sendNow, sendTest, startMailing, type Statistics, stopMailing } from '../../core/index';
import { diagnosticText } from '../facts';
import { formatCount, recipientsText } from '../format';
import { describeEvent } from '../log';
import { stateRootFor } from '../mailingFiles';
import { readSettings, smtpConfig } from '../settings';
import type { Services } from '../services';
import { COMMANDS } from './ids';
import { done, refuse, refuseUntrusted, type Outcome, type Refusal } from './outcome';
import { saveBeforeAction, targetMailing } from './target';

/** Identifies this window in leases and journals ("VS Code window 1234"). */
export function ownerName(): string {
  return `VS Code window ${process.pid}`;
}

export async function sendContextFor(services: Services, uri: vscode.Uri): Promise<SendContext> {
  const settings = readSettings();
  const smtp = await smtpConfig(services.password, settings);
  return { stateRoot: stateRootFor(uri), owner: ownerName(), softBounceLimit: settings.bounces.softBounceLimit, ...(smtp ? { smtp } : {}) };
}

/** The refusal for an error from the core: its MailingActionError code where it has one. */
export function refusalFor(error: unknown): Refusal {
  switch ((error as { code?: unknown } | undefined)?.code) {
    case 'has-errors':
      return 'has-errors';
    case 'wrong-state':
    case 'leased':
      return 'wrong-state';
    case 'no-smtp':
      return 'smtp-unconfigured';
    case 'plain-auth-refused':
      return 'smtp-insecure';
    case 'no-test-recipients':
    case 'invalid-time':
      return 'invalid-input';
    default:
      return 'failed';
  }
}

/** The message of an error from the core (MailingActionError carries a code). */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

function noMailing(): Outcome {
  return refuse('no-mailing', vscode.l10n.t('Open a mailing file (*.mailing.yaml) first.'));
}

function showProblems(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.actions.view.problems');
}

/**
 * The errors only the user's explicit choice lifts (`already-sent`: this content went out before,
 * under another name or from another place), when they are the only errors left.
 */
export function onlyAlreadySent(model: ConfirmModel): ConfirmModel['diagnostics'] | undefined {
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  return errors.length > 0 && errors.every((d) => d.data?.overridable === 'again') ? errors : undefined;
}

/**
 * Asks whether to mail again what was already sent (the CLI's `--again`). Undefined: nothing to ask;
 * true: the user chose Send again; false: cancelled.
 */
export async function askSendAgain(model: ConfirmModel): Promise<boolean | undefined> {
  const again = onlyAlreadySent(model);
  if (!again) return undefined;
  const choice = vscode.l10n.t('Send again');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('“{0}” was already sent. Send it again?', mailingName(model)),
    { modal: true, detail: again.map((d) => diagnosticText(d, model.mailing.timezone)).join('\n') },
    choice,
  );
  return answer === choice;
}

function refuseErrors(model: ConfirmModel, what: string): Outcome {
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0];
  return refuse(
    'has-errors',
    errors.length === 1
      ? vscode.l10n.t('{0}: the mailing has an error to fix first. {1}: {2}', what, first.code, diagnosticText(first, model.mailing.timezone))
      : vscode.l10n.t('{0}: the mailing has {1} errors to fix first. {2}: {3}', what, formatCount(errors.length), first.code, diagnosticText(first, model.mailing.timezone)),
    [{ title: vscode.l10n.t('Show Problems'), run: showProblems }],
  );
}

function refuseSmtp(): Outcome {
  return refuse('smtp-unconfigured', vscode.l10n.t('This mailing sends through SMTP, but no SMTP server is configured.'), [
    { title: vscode.l10n.t('Configure the SMTP server'), run: () => vscode.commands.executeCommand(COMMANDS.openSmtpSettings) },
  ]);
}

function needsSmtp(model: ConfirmModel, context: SendContext): boolean {
  return model.mailing.sending.transport === 'smtp' && !context.smtp;
}

/**
 * The core refuses AUTH without TLS to a host that is not loopback (smtpTransport.assertAuthAllowed);
 * here the user hears it first, in their language, with the way to the setting.
 */
function refusePlainAuth(transport: ResolvedMailing['sending']['transport'], context: SendContext): Outcome | undefined {
  if (transport !== 'smtp' || !context.smtp) return undefined;
  try {
    assertAuthAllowed(context.smtp);
    return undefined;
  } catch (error) {
    if (!(error instanceof PlainAuthRefusedError)) throw error;
    return refuse(
      'smtp-insecure',
      vscode.l10n.t(
        'Not sent: with security “none” the SMTP password would cross the network to {0} in clear text. Use starttls or tls, or, only on a network you trust, turn on the machine setting mailings.smtp.allowPlainAuth.',
        hostPort({ transport: 'smtp', host: context.smtp.host, port: context.smtp.port }),
      ),
      [{ title: vscode.l10n.t('Configure the SMTP server'), run: () => vscode.commands.executeCommand(COMMANDS.openSmtpSettings) }],
    );
  }
}

/** Where messages go, for a sentence: “via SMTP host:port” or “to the outbox <folder>”. */
function destinationText(destination: Destination): string {
  return destination.transport === 'smtp'
    ? vscode.l10n.t('via SMTP {0}', hostPort(destination))
    : vscode.l10n.t('to the outbox {0} (no mail leaves this machine)', vscode.workspace.asRelativePath(destination.dir));
}

/** What a finished run says, with where its messages went. */
function completedText(stats: Statistics): string {
  const sent = formatCount(stats.sent);
  const failed = formatCount(stats.failed);
  const destination = stats.destination;
  if (!destination) return vscode.l10n.t('Completed: {0} sent, {1} failed', sent, failed);
  return destination.transport === 'smtp'
    ? vscode.l10n.t('Completed: {0} sent, {1} failed, via SMTP {2}', sent, failed, hostPort(destination))
    : vscode.l10n.t('Completed: {0} sent, {1} failed, written to the outbox {2} (no mail left this machine)', sent, failed, vscode.workspace.asRelativePath(destination.dir));
}

function mailingName(model: ConfirmModel): string {
  return model.mailing.name ?? vscode.workspace.asRelativePath(model.file);
}

function recipientCount(model: ConfirmModel): number {
  return model.mailing.targetList?.recipients.length ?? 0;
}

/** The `mailings.sending.defaultRate` setting, for mailings that set no rate of their own. */
function applyDefaultRate(model: ConfirmModel, log: Services['log']): void {
  if (model.mailing.sending.rate) return;
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(second|minute|hour)\s*$/.exec(readSettings().defaultRate);
  if (!match) return;
  model.mailing.sending.rate = { count: Number(match[1]), per: match[2] as 'second' | 'minute' | 'hour' };
  log.info(`${model.file}: no sending.rate in the file; using the default rate ${match[1]}/${match[2]}`);
}

export async function sendTestCommand(services: Services, argument?: unknown): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const uri = await targetMailing(argument, services.states, vscode.l10n.t('Which mailing do you want to test?'));
  if (!uri) return noMailing();
  const unsaved = await saveBeforeAction(uri, services.models);
  if (unsaved) return unsaved;
  const model = await services.models.forUri(uri);
  const context = await sendContextFor(services, uri);
  if (needsSmtp(model, context)) return refuseSmtp();
  const insecure = refusePlainAuth(model.mailing.sending.transport, context);
  if (insecure) return insecure;
  const recipients = model.mailing.test?.recipients ?? [];
  if (recipients.length === 0) {
    return refuse('invalid-input', vscode.l10n.t('Add test recipients to the mailing first (test: recipients: [...]).'));
  }
  services.log.info(describeEvent(`send test ${model.file}`, { to: recipients, transport: model.mailing.sending.transport }));
  let destination: Destination;
  try {
    const record = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Sending a test of “{0}”…', mailingName(model)) },
      () => sendTest(model, context),
    );
    destination = record.destination;
  } catch (error) {
    services.log.error(`send test ${model.file} failed: ${errorText(error)}`);
    return refuse(refusalFor(error), vscode.l10n.t('The test was not sent: {0}', errorText(error)));
  }
  services.log.info(describeEvent(`test of ${model.file} sent`, { to: recipients, destination: describeDestination(destination) }));
  services.models.invalidate(uri);
  const to = recipients.join(', ');
  const message =
    destination.transport === 'smtp'
      ? vscode.l10n.t('Test sent to {0} via SMTP {1}.', to, hostPort(destination))
      : vscode.l10n.t('Test for {0} written to the outbox {1}: no mail left this machine.', to, vscode.workspace.asRelativePath(destination.dir));
  void vscode.window.showInformationMessage(message);
  return done(message);
}

export async function sendNowCommand(services: Services, argument?: unknown): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const uri = await targetMailing(argument, services.states, vscode.l10n.t('Which mailing do you want to send?'));
  if (!uri) return noMailing();
  const unsaved = await saveBeforeAction(uri, services.models);
  if (unsaved) return unsaved;
  const model = await services.models.forUri(uri);
  if (model.state.status !== 'draft') {
    return refuse('wrong-state', vscode.l10n.t('Send now is only possible for a draft; this mailing is {0}.', statusWord(model.state.status)));
  }
  const again = model.hasErrors ? await askSendAgain(model) : undefined;
  if (again === false) return refuse('cancelled', vscode.l10n.t('Nothing was sent.'));
  if (model.hasErrors && again === undefined) return refuseErrors(model, vscode.l10n.t('Send now'));
  const context = await sendContextFor(services, uri);
  if (needsSmtp(model, context)) return refuseSmtp();
  const insecure = refusePlainAuth(model.mailing.sending.transport, context);
  if (insecure) return insecure;

  const count = recipientCount(model);
  const confirm = vscode.l10n.t('Send now');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Send “{0}” now to {1}?', mailingName(model), recipientsText(count)),
    { modal: true, detail: confirmDetail(model, destinationOf(model.mailing, context)) },
    confirm,
  );
  if (answer !== confirm) return refuse('cancelled', vscode.l10n.t('Nothing was sent.'));
  applyDefaultRate(model, services.log);
  return runWithProgress(services, uri, vscode.l10n.t('Sending “{0}”', mailingName(model)), count, (options) => sendNow(model, context, { ...options, again: again === true }));
}

export async function startCommand(services: Services, argument?: unknown): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const uri = await targetMailing(argument, services.states, vscode.l10n.t('Which mailing do you want to start?'));
  if (!uri) return noMailing();
  const info = await services.states.info(uri);
  const stats = info.stats;
  if (!['scheduled', 'missed', 'stopped'].includes(stats.status)) {
    return refuse('wrong-state', vscode.l10n.t('Start is possible for a scheduled or stopped mailing; this mailing is {0}.', statusWord(stats.status)));
  }
  if (services.runs.isRunning(uri)) return refuse('wrong-state', vscode.l10n.t('This mailing is already being sent in this window.'));
  const context = await sendContextFor(services, uri);
  // What Start sends is the confirmed snapshot: its transport decides where the messages go.
  const confirmed = await getConfirmedMailing(uri.fsPath, context.stateRoot);
  if (confirmed?.sending.transport === 'smtp' && !context.smtp) return refuseSmtp();
  const insecure = confirmed && refusePlainAuth(confirmed.sending.transport, context);
  if (insecure) return insecure;
  const remaining = Math.max(0, stats.total - stats.sent - stats.failed);
  const confirm = vscode.l10n.t('Start');
  const question =
    stats.status === 'stopped'
      ? vscode.l10n.t('Resume sending “{0}” to the remaining {1}?', info.name, recipientsText(remaining))
      : vscode.l10n.t('Start sending “{0}” now to {1}?', info.name, recipientsText(stats.total));
  const detail = confirmed ? vscode.l10n.t('The messages go {0}.', destinationText(destinationOf(confirmed, context))) : undefined;
  const answer = await vscode.window.showWarningMessage(question, { modal: true, ...(detail ? { detail } : {}) }, confirm);
  if (answer !== confirm) return refuse('cancelled', vscode.l10n.t('Nothing was sent.'));
  return runWithProgress(services, uri, vscode.l10n.t('Sending “{0}”', info.name), stats.total, (options) =>
    startMailing(uri.fsPath, context, options),
  );
}

/**
 * Reload and resend (the seed's "Opnieuw laden en verzenden"): a completed or stopped mailing is sent
 * to the rows of its target list it has not reached — rows added since and recipients that failed or
 * were never sent — never to a suppressed address or a hard bounce. The content is the confirmed one;
 * the target list is the file's as saved. The question says how many and why before anything is sent.
 */
export async function resendCommand(services: Services, argument?: unknown, options?: unknown): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const to = selectedAddresses(options);
  const uri = await targetMailing(argument, services.states, vscode.l10n.t('Which mailing do you want to resend?'));
  if (!uri) return noMailing();
  const info = await services.states.info(uri);
  if (!['completed', 'stopped'].includes(info.stats.status)) {
    return refuse('wrong-state', vscode.l10n.t('Resend is possible for a completed or stopped mailing; this mailing is {0}.', statusWord(info.stats.status)));
  }
  if (services.runs.isRunning(uri)) return refuse('wrong-state', vscode.l10n.t('This mailing is already being sent in this window.'));
  // The target list is read as the files say: what is resent to is what is on disk.
  const unsaved = await saveBeforeAction(uri, services.models);
  if (unsaved) return unsaved;
  const model = await services.models.forFile(uri);
  const listErrors = model.diagnostics.filter((d) => d.severity === 'error' && d.step === 'targetList');
  if (listErrors.length > 0) {
    return refuse('has-errors', vscode.l10n.t('The target list has errors, so nobody was resent to: {0}', diagnosticText(listErrors[0], model.mailing.timezone)), [
      { title: vscode.l10n.t('Show Problems'), run: showProblems },
    ]);
  }
  const context = await sendContextFor(services, uri);
  const selection = to ? { to } : {};
  const preview = await previewResend(model, context.stateRoot, selection);
  // Resend to selected: those of the selection it reached already are sent again only when asked.
  const again = to ? await previewResend(model, context.stateRoot, { to, again: true }) : undefined;
  const count = preview ? preview.added + preview.retry : 0;
  const againCount = again ? again.added + again.retry : 0;
  if (!preview || (count === 0 && againCount === 0)) {
    return refuse(
      'invalid-input',
      to
        ? vscode.l10n.t('Nothing to resend: none of the {0} selected is on the target list now, or they are suppressed or bounced hard.', formatCount(to.length))
        : vscode.l10n.t('Nothing to resend: “{0}” reached every recipient of its target list, and no rows were added since.', info.name),
    );
  }
  const confirmed = await getConfirmedMailing(uri.fsPath, context.stateRoot);
  if (confirmed?.sending.transport === 'smtp' && !context.smtp) return refuseSmtp();
  const insecure = confirmed && refusePlainAuth(confirmed.sending.transport, context);
  if (insecure) return insecure;
  const detail = [
    to
      ? vscode.l10n.t('{0} selected: {1} not reached yet, {2} reached already; suppressed addresses and hard bounces are left out.', formatCount(to.length), formatCount(count), formatCount(againCount - count))
      : vscode.l10n.t('{0} added to the target list since, {1} not reached (failed or never sent); hard bounces and suppressed addresses are left out ({2} suppressed).', formatCount(preview.added), formatCount(preview.retry), formatCount(preview.suppressed)),
    ...(confirmed ? [vscode.l10n.t('The messages go {0}.', destinationText(destinationOf(confirmed, context)))] : []),
  ].join('\n');
  const resendButton = vscode.l10n.t('Resend');
  const againButton = vscode.l10n.t('Send to all {0} again', formatCount(againCount));
  const buttons = [...(count > 0 ? [resendButton] : []), ...(againCount > count ? [againButton] : [])];
  const question = count > 0 ? vscode.l10n.t('Resend “{0}” to {1}?', info.name, recipientsText(count)) : vscode.l10n.t('Every selected recipient of “{0}” was reached already. Send it to them again?', info.name);
  const answer = await vscode.window.showWarningMessage(question, { modal: true, detail }, ...buttons);
  if (answer === undefined) return refuse('cancelled', vscode.l10n.t('Nothing was sent.'));
  const sendAgain = answer === againButton;
  const total = sendAgain ? againCount : count;
  services.log.info(describeEvent(`resend ${uri.fsPath}`, { added: preview.added, retry: preview.retry, suppressed: preview.suppressed, ...(to ? { selected: to.length, again: sendAgain } : {}) }));
  return runWithProgress(services, uri, vscode.l10n.t('Resending “{0}”', info.name), total, (run) => resendMailing(model, context, { ...run, ...selection, again: sendAgain }));
}

/** The `{ to: [...] }` of Resend to selected (the Statistics page's table), checked. */
function selectedAddresses(options: unknown): string[] | undefined {
  const to = (options as { to?: unknown } | undefined)?.to;
  if (!Array.isArray(to)) return undefined;
  const addresses = to.filter((a): a is string => typeof a === 'string' && a.trim().length > 0).map((a) => a.trim());
  return addresses.length > 0 ? addresses : undefined;
}

export async function stopCommand(services: Services, argument?: unknown): Promise<Outcome> {
  const uri = await targetMailing(argument, services.states, vscode.l10n.t('Which mailing do you want to stop?'));
  if (!uri) return noMailing();
  const info = await services.states.info(uri);
  if (!['scheduled', 'missed', 'sending'].includes(info.stats.status) && !services.runs.isRunning(uri)) {
    return refuse('wrong-state', vscode.l10n.t('Stop is possible for a scheduled or sending mailing; this mailing is {0}.', statusWord(info.stats.status)));
  }
  services.log.info(describeEvent(`stop ${uri.fsPath}`, { status: info.stats.status }));
  try {
    // Stops a run in this window, asks a run in another process to stop (and waits), or unschedules.
    await stopMailing(uri.fsPath, await sendContextFor(services, uri));
  } catch (error) {
    services.log.error(`stop ${uri.fsPath} failed: ${errorText(error)}`);
    return refuse(refusalFor(error), vscode.l10n.t('Could not stop the mailing: {0}', errorText(error)));
  }
  const message = info.stats.status === 'sending' ? vscode.l10n.t('“{0}” stopped. Start resumes it.', info.name) : vscode.l10n.t('“{0}” is no longer scheduled.', info.name);
  void vscode.window.showInformationMessage(message);
  return done(message);
}

type RunOptions = { signal: AbortSignal; onProgress: (statistics: Statistics) => void };

/** Runs a send in this window under a cancellable progress notification; cancel stops the mailing. */
async function runWithProgress(
  services: Services,
  uri: vscode.Uri,
  title: string,
  total: number,
  run: (options: RunOptions) => Promise<Statistics>,
): Promise<Outcome> {
  const controller = services.runs.begin(uri);
  services.log.info(`${title}: ${uri.fsPath}, ${total} recipients`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          services.log.info(`stop requested from the progress notification: ${uri.fsPath}`);
          controller.abort();
        });
        let reported = 0;
        return run({
          signal: controller.signal,
          onProgress: (statistics) => {
            const processed = statistics.sent + statistics.failed;
            const percent = statistics.total > 0 ? (processed / statistics.total) * 100 : 100;
            progress.report({
              increment: Math.max(0, percent - reported),
              message: vscode.l10n.t('{0} of {1}', formatCount(processed), formatCount(statistics.total)),
            });
            reported = Math.max(reported, percent);
          },
        });
      },
    );
    const stats = result;
    services.log.info(describeEvent(`${uri.fsPath}: run ended`, { status: stats.status, sent: stats.sent, failed: stats.failed, reason: stats.stoppedReason }));
    if (stats.status === 'completed') {
      const message = completedText(stats);
      void vscode.window.showInformationMessage(message, vscode.l10n.t('Statistics')).then((picked) => {
        if (picked) void vscode.commands.executeCommand(COMMANDS.showStatistics, uri);
      });
      return done(message);
    }
    const message =
      vscode.l10n.t('Stopped at {0}', `${formatCount(stats.sent + stats.failed)} / ${formatCount(stats.total)}`) +
      (stats.destination ? ` ${destinationText(stats.destination)}` : '') +
      (stats.stoppedReason ? ` — ${stats.stoppedReason}` : '');
    if (!controller.signal.aborted) void vscode.window.showWarningMessage(message);
    return done(message);
  } catch (error) {
    services.log.error(`${uri.fsPath}: ${errorText(error)}`);
    return refuse(refusalFor(error), vscode.l10n.t('Sending failed: {0}', errorText(error)));
  } finally {
    services.runs.end(uri, controller);
  }
}

function confirmDetail(model: ConfirmModel, destination: Destination): string {
  const from = model.mailing.from ? (model.mailing.from.name ? `${model.mailing.from.name} <${model.mailing.from.email}>` : model.mailing.from.email) : '';
  const lines = [
    `${vscode.l10n.t('From')}: ${from}`,
    `${vscode.l10n.t('Subject')}: ${model.mailing.subject ?? ''}`,
    vscode.l10n.t('The messages go {0}.', destinationText(destination)),
  ];
  const warnings = model.diagnostics.filter((d) => d.severity === 'warning').length;
  if (warnings > 0) lines.push(vscode.l10n.t('{0} warning(s) — see Problems.', warnings));
  return lines.join('\n');
}

export function statusWord(status: Statistics['status']): string {
  switch (status) {
    case 'draft':
      return vscode.l10n.t('a draft');
    case 'scheduled':
      return vscode.l10n.t('scheduled');
    case 'sending':
      return vscode.l10n.t('sending');
    case 'waiting':
      return vscode.l10n.t('waiting');
    case 'stopped':
      return vscode.l10n.t('stopped');
    case 'completed':
      return vscode.l10n.t('completed');
    case 'missed':
      return vscode.l10n.t('missed');
  }
}
