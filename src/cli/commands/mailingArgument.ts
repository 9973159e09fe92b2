import type { ConfirmModel } from '../../core/index';
import type { ArgumentsSpec } from '../command';

export const MAILING_FILE_ARGUMENT: ArgumentsSpec = {
  usage: '<file>',
  description: 'the mailing file (*.mailing.yaml)',
  min: 1,
  max: 1,
  wrongCount: 'name one mailing file',
};

/**
 * Whether the model's transport is the file's own: not when the file does not parse, is no mapping or
 * has a schema error under `sending:` (the transport then may be the default, and the file's errors
 * are what the user needs to hear: the action refuses with them).
 */
export function transportIsCertain(model: ConfirmModel): boolean {
  return !model.diagnostics.some((d) => d.severity === 'error' && (d.step === 'file' || (d.step === 'transport' && d.code === 'schema')));
}
