import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliError } from './errors.ts';
import { parseFlags } from './flags.ts';

test('parseFlags reads the declared flags and -h/--help for every command', () => {
  const { values, positionals } = parseFlags(['--out', 'r', 'a.json', '-h'], { out: { type: 'string' } }, 'diff');
  assert.deepEqual({ ...values }, { out: 'r', help: true });
  assert.deepEqual(positionals, ['a.json']);
});

test('an unknown flag, or a positional where none is taken, is a usage error naming the command and its --help', () => {
  const refused = (argv: string[], allowPositionals: boolean, message: RegExp) =>
    assert.throws(
      () => parseFlags(argv, { out: { type: 'string' } }, 'serve', allowPositionals),
      (err: unknown) =>
        err instanceof CliError && err.exitCode === 2 && message.test(err.message) && /Run 'scimulator serve --help' for the options\.$/.test(err.message),
    );
  refused(['--bogus'], true, /Unknown option '--bogus'/);
  refused(['extra'], false, /Unexpected argument 'extra'/);
  refused(['--out'], true, /argument missing/);
});
