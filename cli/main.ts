import { CliError, EXIT } from './errors.ts';
import { version } from './version.ts';

export { version };

/** Each command lives in its own module and exports `run(argv): Promise<number>` (the exit code). */
export interface CommandModule {
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  serve: { summary: 'run the reference SCIM server', load: () => import('./commands/serve.ts') },
  accounts: { summary: 'create a reference-app account and its first admin', load: () => import('./commands/accounts.ts') },
  certify: { summary: 'certify a SCIM target and write reports', load: () => import('./commands/certify.ts') },
  'merge-reports': {
    summary: 'join sharded certify runs into one certificate',
    load: () => import('./commands/merge-reports.ts'),
  },
  simulate: { summary: 'replay an IdP scenario against a target', load: () => import('./commands/simulate.ts') },
  load: { summary: "replay an IdP's initial sync of many users", load: () => import('./commands/load.ts') },
  proxy: { summary: 'record and judge what a real IdP sends to your SCIM service', load: () => import('./commands/proxy.ts') },
  replay: { summary: 'replay a recorded IdP session against another target and compare', load: () => import('./commands/replay.ts') },
  init: { summary: 'write a starter adapter and config', load: () => import('./commands/init.ts') },
  verify: { summary: "check a certificate's signature and summary", load: () => import('./commands/verify.ts') },
  diff: { summary: 'list the requirements whose verdict changed between two certificates', load: () => import('./commands/diff.ts') },
};

/** The command table, for docs/reference/cli.md (scripts/gen.ts renders each command's --help). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);
export { usage };

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`);
  return `scimulator ${version()}\n\nUsage: scimulator <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'scimulator <command> --help' for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`scimulator: unknown command '${name}'.\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`scimulator ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`scimulator ${name}: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.harnessFailed;
  }
}
