// `npm run gen` writes the generated files (scripts/generate/docs.ts); `npm run gen:check` exits 1 naming each one
// that differs from what its source renders now (CI runs it, so a doc cannot drift from the code it describes).
// --root DIR compares against another checkout (the test uses a copy).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GENERATED, ROOT } from './generate/docs.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean' }, root: { type: 'string' } } });
const root = values.root ? resolve(values.root) : ROOT;
let stale = 0;
for (const file of GENERATED) {
  const target = join(root, file.path);
  const content = await file.render();
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  if (values.check) {
    stale++;
    process.stderr.write(
      `gen:check: ${file.path} ${current === undefined ? 'is missing' : 'differs from'} what ${file.source} gives; run 'npm run gen' and commit it\n`,
    );
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    process.stdout.write(`gen: wrote ${file.path}\n`);
  }
}
if (values.check) process.stdout.write(stale === 0 ? `gen:check: all ${GENERATED.length} generated files are current\n` : '');
process.exitCode = stale > 0 ? 1 : 0;
