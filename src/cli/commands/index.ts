// The CLI's commands, in the order `mailings --help` lists them; each lives in its own module.
import type { Command } from '../command';
import { run } from './run';
import { schedule } from './schedule';
import { send } from './send';
import { start } from './start';
import { status } from './status';
import { stop } from './stop';
import { test } from './test';
import { validate } from './validate';

export const commandList: readonly Command[] = [validate, test, send, schedule, start, stop, status, run];

export const commands: ReadonlyMap<string, Command> = new Map(commandList.map((command) => [command.name, command]));
