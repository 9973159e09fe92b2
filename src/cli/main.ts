// `mailings`: the command-line twin of the extension, over the same core. main() dispatches to a
// command and ends it when interrupted; the entry at the bottom wires the process to it: signals,
// closed pipes and the exit code.
import { commandList, commands } from './commands';
import { ENVIRONMENT, interruptExit, table } from './command';
import { EXIT, interruptedExitCode, isClosedOutputError, UsageError, type CliIO, type Interruption } from './io';
import { cliVersion } from './version';

function help(): string {
  const lines = ['Usage: mailings <command> [options]', '', 'Commands:', ...table(commandList.map((c) => [c.name, c.summary]))];
  lines.push('', 'Options:', ...table([['-h, --help', 'this help; `mailings <command> --help`: its options, environment, exit codes and examples'], ['-v, --version', 'the version']]));
  lines.push('', 'Environment:', ...table(Object.entries(ENVIRONMENT)));
  lines.push(
    '',
    'Exit codes:',
    ...table([
      [EXIT.ok, 'done: clean, sent, completed (also when the reader of the output went away: `| head`)'],
      [EXIT.failed, 'errors found, an action refused, a send that stopped for a fault'],
      [EXIT.usage, 'usage error'],
      interruptExit('a send stops after the messages in flight; `mailings start` resumes it'),
    ]),
  );
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(help());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${cliVersion()}\n`);
    return EXIT.ok;
  }
  const command = commands.get(name);
  if (!command) {
    io.stderr.write(`mailings: unknown command '${name}'\n\n${help()}`);
    return EXIT.usage;
  }
  // Until the command says it stops gracefully by itself (a send), an interruption ends it here.
  let graceful = false;
  const commandIo: CliIO = {
    ...io,
    stopsGracefully: () => {
      graceful = true;
      io.stopsGracefully();
    },
  };
  const ended = io.interrupted.then((why) => (graceful ? new Promise<never>(() => undefined) : why));
  try {
    const outcome = await Promise.race([command.run(rest, commandIo).then((code) => ({ code })), ended.then((why) => ({ why }))]);
    return 'code' in outcome ? outcome.code : interruptedExitCode(outcome.why);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`mailings ${name}: ${error.message}\nUsage: ${command.usage}\nRun \`mailings ${name} --help\` for the options.\n`);
      return EXIT.usage;
    }
    // The reader of the output went away: nobody is left to tell.
    if (isClosedOutputError(error)) return EXIT.ok;
    io.stderr.write(`mailings ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  let interrupt: (why: Interruption) => void = () => undefined;
  const interrupted = new Promise<Interruption>((resolve) => (interrupt = resolve));
  let signals = 0;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    // First signal: the send stops gracefully (messages in flight finish, the stop is journaled).
    // Second: exit now.
    if (++signals > 1) process.exit(interruptedExitCode({ kind: 'signal', signal }));
    interrupt({ kind: 'signal', signal });
  };
  // Until a command stops gracefully by itself, SIGINT and SIGTERM keep node's own handling: the
  // process ends at once, even inside a long synchronous step (parsing a huge file), and the shell
  // reports 130 or 143. A listener would only run once that step is over.
  let listening = false;
  const stopsGracefully = () => {
    if (listening) return;
    listening = true;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  };
  // EPIPE (`mailings status --csv f | head -4`): the reader went away. End like an interruption, with
  // exit 0 and no stack trace; later writes to the closed stream fail here too and change nothing.
  const onOutputError = (error: Error) => {
    if (!isClosedOutputError(error)) throw error;
    interrupt({ kind: 'output-closed' });
  };
  process.stdout.on('error', onOutputError);
  process.stderr.on('error', onOutputError);
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), interrupted, stopsGracefully };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
      // Long-running commands may leave timers (scheduler, pools); once main returns we are done.
      setImmediate(() => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`mailings: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(EXIT.failed);
    },
  );
}
