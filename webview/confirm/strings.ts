// The page's helpers for its localized strings (the strings themselves come from the host).
import type { MailingStatus, Step, UiStringKey } from '../../src/protocol';

/** Fills `{0}`, `{1}` … in a localized string. */
export function formatString(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

/** The status words, keyed for the UI table. */
export const STATUS_STRING: { readonly [S in MailingStatus]: UiStringKey } = {
  draft: 'statusDraft',
  scheduled: 'statusScheduled',
  sending: 'statusSending',
  waiting: 'statusWaiting',
  stopped: 'statusStopped',
  completed: 'statusCompleted',
  missed: 'statusMissed',
};

export const STEP_STRING: { readonly [S in Step]: UiStringKey } = {
  file: 'stepFile',
  setup: 'stepSetup',
  content: 'stepContent',
  inbox: 'stepInbox',
  targetList: 'stepTargetList',
  test: 'stepTest',
  schedule: 'stepSchedule',
  transport: 'stepTransport',
  state: 'stepState',
};
