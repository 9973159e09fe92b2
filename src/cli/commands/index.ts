// The CLI's commands by name; each lives in its own module.
import type { Command } from '../io';
import { run } from './run';
import { schedule } from './schedule';
import { send } from './send';
import { start } from './start';
import { status } from './status';
import { stop } from './stop';
import { test } from './test';
import { validate } from './validate';

export const commands: Record<string, Command> = {
  validate,
  test,
  send,
  schedule,
  start,
  stop,
  status,
  run,
};
