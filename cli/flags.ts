import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors.ts';

/** The flags a command declares, as parseArgs takes them. */
export type FlagsConfig = NonNullable<ParseArgsConfig['options']>;

/** Every command takes -h/--help. */
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * A command's flags plus -h/--help, read by node:util's parseArgs in strict mode (an unknown flag, a missing value
 * or, unless allowed, a positional is refused), or a usage error that points at the command's --help.
 */
export function parseFlags<const O extends FlagsConfig, const P extends boolean = true>(
  argv: string[],
  options: O,
  command: string,
  allowPositionals: P = true as P,
) {
  try {
    return parseArgs({ args: argv, options: { ...options, ...HELP }, strict: true, allowPositionals });
  } catch (err) {
    throw new CliError(`${(err as Error).message}. Run 'scimulator ${command} --help' for the options.`);
  }
}
