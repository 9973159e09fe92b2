// `mailings`: the command-line twin of the extension, over the same core.
import { commands } from './commands';
import { UsageError, type CliIO } from './io';

function help(): string {
  const lines = ['Usage: mailings <command> [options]', '', 'Commands:'];
  for (const [name, command] of Object.entries(commands)) {
    lines.push(`  ${name.padEnd(10)} ${command.summary}`);
  }
  lines.push('', 'Run `mailings <command> --help` for its options.');
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${process.env.MAILINGS_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.stderr.write(`mailings: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`mailings ${name}: ${error.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`mailings ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  let interrupts = 0;
  const onSignal = () => {
    // First signal: stop gracefully (messages in flight finish, state is recorded). Second: exit now.
    if (++interrupts > 1) process.exit(130);
    interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), interrupted }).then(
    (code) => {
      process.exitCode = code;
      // Long-running commands may leave timers (scheduler, pools); once main returns we are done.
      setImmediate(() => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`mailings: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
