// The CLI's streams and environment, passed in so commands are testable without a child process.
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
