// The CLI's streams and environment, passed in so commands are testable without a child process, and
// the exit codes every command uses.
import { constants } from 'node:os';

/**
 * Why a command was asked to end early: a signal (Ctrl-C is SIGINT; SIGTERM from a service manager
 * or `kill`), or its output was closed (the reader of a pipe went away: `mailings status --csv f |
 * head -4`).
 */
export type Interruption = { kind: 'signal'; signal: 'SIGINT' | 'SIGTERM' } | { kind: 'output-closed' };

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Resolves at the first interruption: the output was closed, or — once the command stops
   * gracefully — a signal.
   */
  interrupted: Promise<Interruption>;
  /**
   * Called by a command that from now on stops gracefully by itself when interrupted (a send: the
   * messages in flight finish and the stop is journaled); main then waits for it. Until a command
   * calls it, an interruption ends the command at once (a signal ends the process where it is).
   */
  stopsGracefully(): void;
}

/** The exit codes of every command (README, "The command line"). */
export const EXIT = {
  /** Done: clean, sent, completed. */
  ok: 0,
  /** Errors found, a send that stopped or failed, an action refused in the mailing's state. */
  failed: 1,
  /** A bad command line: unknown option, missing argument, --smtp for an outbox mailing. */
  usage: 2,
} as const;

/**
 * The exit code after an interruption: 128 + the signal's number, as shells report a process a
 * signal ended (130 for SIGINT, 143 for SIGTERM); 0 when the reader of the output went away, because
 * nobody is left to tell (and `set -o pipefail` should not fail on `| head`).
 */
export function interruptedExitCode(interruption: Interruption): number {
  return interruption.kind === 'signal' ? 128 + constants.signals[interruption.signal] : EXIT.ok;
}

/** Thrown for bad command lines: printed with the usage and exit code 2. */
export class UsageError extends Error {}

/** A write to a stream whose reader went away (EPIPE), or to one that was closed after that. */
export function isClosedOutputError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}
