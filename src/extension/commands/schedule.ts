// Schedule…: an input box that understands when-expressions ("tomorrow 19:00", "volgende vrijdag
// 20:00") and shows the resolved moment as you type, a "Set now" button, then a modal confirmation
// with the recipient count. The core's planSchedule decides what may be scheduled; scheduleMailing
// enforces it again under the mailing's lease.
import * as vscode from 'vscode';
import { type ConfirmModel, planSchedule, scheduleMailing, type SchedulePlan } from '../../core/index';
import { recipientsText, whenLocale } from '../format';
import { describeEvent } from '../log';
import { readSettings } from '../settings';
import type { Services } from '../services';
import { done, refuse, refuseUntrusted, type Outcome } from './outcome';
import { askSendAgain, errorText, refusalFor, sendContextFor, statusWord } from './send';
import { saveBeforeAction, targetMailing } from './target';

export async function scheduleCommand(services: Services, argument?: unknown, when?: unknown): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const uri = await targetMailing(argument, services.states, vscode.l10n.t('Which mailing do you want to schedule?'));
  if (!uri) return refuse('no-mailing', vscode.l10n.t('Open a mailing file (*.mailing.yaml) first.'));
  const unsaved = await saveBeforeAction(uri, services.models);
  if (unsaved) return unsaved;
  const model = await services.models.forUri(uri);

  // State and errors first: no point asking for a moment that cannot be used. Already sent is the
  // one error the user may lift, by choosing to send again.
  const askAgain = model.state.status === 'draft' && model.hasErrors ? await askSendAgain(model) : undefined;
  if (askAgain === false) return refuse('cancelled', vscode.l10n.t('Nothing was scheduled.'));
  const again = askAgain === true;
  const gate = plan(model, 'now', again);
  if (!gate.ok && gate.reason === 'state') {
    return refuse('wrong-state', vscode.l10n.t('Schedule is only possible for a draft; this mailing is {0}.', statusWord(gate.status)));
  }
  if (!gate.ok && gate.reason === 'errors') {
    return refuse('has-errors', gate.message, [{ title: vscode.l10n.t('Show Problems'), run: () => vscode.commands.executeCommand('workbench.actions.view.problems') }]);
  }

  const chosen = typeof when === 'string' ? plan(model, when, again) : await askMoment(model, again);
  if (!chosen) return refuse('cancelled', vscode.l10n.t('Nothing was scheduled.'));
  if (!chosen.ok) return refuse('invalid-input', chosen.message);

  const name = model.mailing.name ?? vscode.workspace.asRelativePath(uri);
  const count = model.mailing.targetList?.recipients.length ?? 0;
  const confirm = vscode.l10n.t('Schedule');
  const detail = [vscode.l10n.t('Sending starts {0}.', chosen.description), ...chosen.warnings.map((warning) => warning.message)].join('\n');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Schedule “{0}” to {1}?', name, recipientsText(count)),
    { modal: true, detail },
    confirm,
  );
  if (answer !== confirm) return refuse('cancelled', vscode.l10n.t('Nothing was scheduled.'));

  try {
    await scheduleMailing(model, await sendContextFor(services, uri), chosen.at, { again });
  } catch (error) {
    services.log.error(`schedule ${uri.fsPath} failed: ${errorText(error)}`);
    return refuse(refusalFor(error), vscode.l10n.t('The mailing was not scheduled: {0}', errorText(error)));
  }
  services.log.info(describeEvent(`scheduled ${uri.fsPath}`, { at: chosen.at.toISOString(), recipients: count }));
  services.models.invalidate(uri);
  const message = `${vscode.l10n.t('Scheduled to send at')} ${chosen.description}`;
  void vscode.window.showInformationMessage(message);
  return done(message);
}

function plan(model: ConfirmModel, whenText: string, again: boolean): SchedulePlan {
  return planSchedule(model, whenText, { now: new Date(), workingHours: readSettings().workingHours, locale: whenLocale(), again });
}

/** The input box; resolves to the accepted plan, or undefined when dismissed. */
function askMoment(model: ConfirmModel, again: boolean): Promise<SchedulePlan | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    const setNow: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('clock'), tooltip: vscode.l10n.t('Set now') };
    box.title = vscode.l10n.t('Schedule “{0}” ({1})', model.mailing.name ?? '', model.mailing.timezone);
    box.placeholder = vscode.l10n.t('tomorrow 19:00, next friday 20:00, 2026-12-04 19:00 …');
    box.prompt = vscode.l10n.t('When should it be sent? Type a moment in words or ISO 8601; the clock button sets now.');
    box.buttons = [setNow];
    box.value = model.mailing.schedule ?? '';
    box.ignoreFocusOut = true;
    let settled = false;
    const finish = (result: SchedulePlan | undefined) => {
      if (settled) return;
      settled = true;
      resolve(result);
      box.dispose();
    };
    const update = () => {
      if (!box.value.trim()) {
        box.validationMessage = undefined;
        return;
      }
      const result = plan(model, box.value, again);
      if (!result.ok) {
        box.validationMessage = { message: result.message, severity: vscode.InputBoxValidationSeverity.Error };
        return;
      }
      const warning = result.warnings[0]?.message;
      box.validationMessage = {
        message: `${vscode.l10n.t('Scheduled to send at')} ${result.description}${warning ? ` — ${warning}` : ''}`,
        severity: warning ? vscode.InputBoxValidationSeverity.Warning : vscode.InputBoxValidationSeverity.Info,
      };
    };
    box.onDidChangeValue(update);
    box.onDidTriggerButton((button) => {
      if (button === setNow) {
        box.value = whenLocale() === 'nl' ? 'nu' : 'now';
        update();
      }
    });
    box.onDidAccept(() => {
      const result = plan(model, box.value, again);
      if (result.ok) finish(result);
      else update();
    });
    box.onDidHide(() => finish(undefined));
    update();
    box.show();
  });
}
