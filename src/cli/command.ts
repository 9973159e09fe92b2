// One structure for every subcommand: its arguments, its options (each with a line of explanation),
// the environment variables it reads, its exit codes and examples. The parseArgs configuration and
// the `--help` text are both generated from it, so they cannot disagree.
import { parseArgs } from 'node:util';
import { type Lang, langFromEnv } from '../core/index';
import { EXIT, interruptedExitCode, UsageError, type CliIO } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the usage and help (`DIR`, `URL`); string options only. */
  value?: string;
  short?: string;
  /** One line for the help. */
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** What parseArgs gives for options declared as `O`: booleans for flags, strings otherwise. */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/** Every environment variable a command may read, with what it means (listed in each command's help). */
export const ENVIRONMENT = {
  MAILINGS_SMTP_URL: 'the SMTP server when --smtp is not given (the same form as --smtp)',
  MAILINGS_SMTP_PASSWORD: 'the SMTP password: read from here only (never from the URL), never printed or written to disk',
  MAILINGS_IMAP_URL: 'the bounce mailbox: imap://user@host:143 (STARTTLS), imaps://user@host:993 (TLS); ?security=none for plain text, ?folder=INBOX, ?processed=Processed',
  MAILINGS_IMAP_PASSWORD: 'the bounce mailbox password: read from here only (never from the URL), never printed',
  MAILINGS_SOFT_BOUNCE_LIMIT: 'soft bounces (mailbox full, 4xx until the attempts ran out), in as many mailings, after which an address is suppressed (default 5)',
  MAILINGS_SPAMASSASSIN: 'the SpamAssassin program for --spam: spamassassin (the default, on PATH) or spamc, to ask a running spamd (its host and port from spamc.conf; start spamd with --local)',
  LC_ALL: 'the language of messages when --lang is not given: the first of LC_ALL, LC_MESSAGES and LANG that is set; nl (nl_NL.UTF-8) is Dutch, anything else English',
  LC_MESSAGES: 'see LC_ALL',
  LANG: 'see LC_ALL'
} as const;

export type EnvName = keyof typeof ENVIRONMENT;

export interface ArgumentsSpec {
  /** As the usage shows them: `<file>`, `<files or folders...>`. */
  usage: string;
  description: string;
  min: number;
  /** Undefined: no upper limit. */
  max?: number;
  /** The usage error when their number is wrong. */
  wrongCount: string;
}

export interface CommandSpec<O extends OptionSpecs> {
  name: string;
  /** One line, for `mailings --help` and the top of the command's help. */
  summary: string;
  /** A few more lines of explanation, when the summary does not say it all. */
  description?: string;
  arguments?: ArgumentsSpec;
  options: O;
  env: readonly EnvName[];
  /** Every exit code the command uses, with what it means for this command. */
  exitCodes: readonly (readonly [number, string])[];
  examples: readonly string[];
  run(parsed: { values: OptionValues<O>; positionals: string[]; lang: Lang }, io: CliIO): Promise<number>;
}

export interface Command {
  name: string;
  summary: string;
  /** `mailings send <file> [--now] …`, generated from the options. */
  usage: string;
  help: string;
  /** The options as parseArgs is given them (help included): what the tests compare the help with. */
  parseOptions: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Every command takes these: its help, and the language it speaks. */
const COMMON_OPTIONS = {
  lang: { type: 'string', value: 'en|nl', description: 'the language of messages and diagnostics (default: from LC_ALL, LC_MESSAGES or LANG)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} as const satisfies OptionSpecs;

/** The environment every command reads (its language). */
const COMMON_ENV: readonly EnvName[] = ['LC_ALL', 'LC_MESSAGES', 'LANG'];

/** The usage-error line of a command's exit codes; `also`: what else is one for this command. */
export function usageExit(also?: string): readonly [number, string] {
  return [EXIT.usage, `usage error: an unknown option, a missing or extra argument${also ? `; ${also}` : ''} (the usage is printed)`];
}

/** The interruption line of a command's exit codes; `then`: what state an interruption leaves. */
export function interruptExit(then?: string): readonly [number, string] {
  return [interruptedExitCode({ kind: 'signal', signal: 'SIGINT' }), `interrupted by Ctrl-C (SIGINT; 143 for SIGTERM)${then ? `: ${then}` : ''}`];
}

function optionLabel(name: string, spec: OptionSpec): string {
  const long = `--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
  return spec.short ? `-${spec.short}, ${long}` : long;
}

/** Two aligned columns, indented by two spaces. */
export function table(rows: readonly (readonly [string | number, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => String(left).length)) + 2;
  return rows.map(([left, right]) => `  ${String(left).padEnd(width)}${right}`);
}

function usageOf<O extends OptionSpecs>(spec: CommandSpec<O>): string {
  const options = Object.entries({ ...spec.options, lang: COMMON_OPTIONS.lang } as OptionSpecs).map(([name, option]) => `[--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}]`);
  return ['mailings', spec.name, ...(spec.arguments ? [spec.arguments.usage] : []), ...options].join(' ');
}

function helpOf<O extends OptionSpecs>(spec: CommandSpec<O>, usage: string): string {
  const options: OptionSpecs = { ...spec.options, ...COMMON_OPTIONS };
  const lines = [`mailings ${spec.name}: ${spec.summary}`, '', `Usage: ${usage}`];
  if (spec.description) lines.push('', spec.description);
  if (spec.arguments) lines.push('', 'Arguments:', ...table([[spec.arguments.usage, spec.arguments.description]]));
  lines.push('', 'Options:', ...table(Object.entries(options).map(([name, option]) => [optionLabel(name, option), option.description])));
  const env = [...new Set([...spec.env, ...COMMON_ENV])];
  lines.push('', 'Environment:', ...table(env.map((name) => [name, ENVIRONMENT[name]])));
  lines.push('', 'Exit codes:', ...table(spec.exitCodes));
  lines.push('', spec.examples.length === 1 ? 'Example:' : 'Examples:', ...spec.examples.map((example) => `  ${example}`));
  return lines.join('\n') + '\n';
}

export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): Command {
  const usage = usageOf(spec);
  const help = helpOf(spec, usage);
  const parseOptions = Object.fromEntries(
    Object.entries({ ...spec.options, ...COMMON_OPTIONS } as OptionSpecs).map(([name, option]) => [name, option.short ? { type: option.type, short: option.short } : { type: option.type }]),
  );
  return {
    name: spec.name,
    summary: spec.summary,
    usage,
    help,
    parseOptions,
    async run(argv, io) {
      let parsed;
      try {
        parsed = parseArgs({ args: argv, options: parseOptions, allowPositionals: spec.arguments !== undefined, strict: true });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const values = parsed.values as OptionValues<O> & { help?: boolean; lang?: string };
      if (values.help) {
        io.stdout.write(help);
        return EXIT.ok;
      }
      if (values.lang !== undefined && values.lang !== 'en' && values.lang !== 'nl') throw new UsageError(`--lang: en or nl, not ${values.lang}`);
      const lang: Lang = (values.lang as Lang | undefined) ?? langFromEnv(io.env);
      const count = parsed.positionals.length;
      if (spec.arguments && (count < spec.arguments.min || (spec.arguments.max !== undefined && count > spec.arguments.max))) {
        throw new UsageError(spec.arguments.wrongCount);
      }
      return spec.run({ values, positionals: parsed.positionals, lang }, io);
    },
  };
}
