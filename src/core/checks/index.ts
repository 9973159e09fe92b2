// Every check of the confirm step, one module per wizard step.
import type { Diagnostic } from '../types';
import { checkContent } from './content';
import type { CheckContext } from './context';
import { checkInbox } from './inbox';
import { checkPace } from './pace';
import { checkSchedule } from './schedule';
import { checkSetup } from './setup';
import { checkState } from './state';
import { checkTargetList } from './targetList';
import { checkTest } from './test';
import { checkTransport } from './transport';

export type { CheckContext } from './context';

export const CHECKS: readonly ((ctx: CheckContext) => Diagnostic[])[] = [checkSetup, checkContent, checkInbox, checkTargetList, checkTest, checkSchedule, checkTransport, checkPace, checkState];

export function runChecks(ctx: CheckContext): Diagnostic[] {
  return CHECKS.flatMap((check) => check(ctx));
}
