// The CLI's commands by name; each lives in its own module.
import type { Command } from '../io';
import { validate } from './validate';

export const commands: Record<string, Command> = {
  validate,
};
