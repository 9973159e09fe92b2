// The CLI's streams and environment, passed in so commands are testable without a child process.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user interrupts (SIGINT/SIGTERM); commands that run long race against it. */
  interrupted: Promise<void>;
}

/** Thrown for bad command lines: printed with the usage and exit code 2. */
export class UsageError extends Error {}

export interface Command {
  /** One line for the help text. */
  summary: string;
  usage: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** node:util's parseArgs, its complaints turned into usage errors (printed with the usage, exit 2). */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
