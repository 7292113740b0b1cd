import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';

/**
 * The architecture's boundaries (docs/architecture.md), read from the import statements of every tracked source
 * file: the harness never imports the server it certifies, the lower layers never import the upper ones, and no
 * import cycle exists.
 */
const ROOT = new URL('..', import.meta.url).pathname;
const files = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** file -> the repository files it imports (relative imports only; packages are not ours). */
const graph = new Map<string, string[]>();
for (const f of files) {
  let text: string;
  try {
    text = readFileSync(join(ROOT, f), 'utf8');
  } catch {
    continue;
  }
  const deps: string[] = [];
  for (const m of text.matchAll(IMPORT)) deps.push(normalize(join(dirname(f), m[1] ?? m[2] ?? m[3]!)));
  graph.set(f, deps);
}
const top = (f: string) => f.split('/')[0]!;

function offending(from: string[], to: string[]): string[] {
  return [...graph].flatMap(([f, deps]) => (from.includes(top(f)) ? deps.filter((d) => to.includes(top(d))).map((d) => `${f} -> ${d}`) : []));
}

test('nothing of the harness imports the reference server', () => {
  assert.deepEqual(offending(['catalog', 'harness', 'fixtures', 'specs', 'simulators'], ['reference-server']), []);
});

test('the reference server imports nothing of the harness', () => {
  assert.deepEqual(offending(['reference-server'], ['catalog', 'harness', 'fixtures', 'specs', 'simulators', 'cli']), []);
});

test('the lower layers import neither the specs nor the CLI, and the specs not the CLI', () => {
  assert.deepEqual(offending(['catalog', 'harness', 'fixtures', 'simulators'], ['specs', 'cli']), []);
  assert.deepEqual(offending(['specs'], ['cli']), []);
  assert.deepEqual(offending(['catalog'], ['harness', 'fixtures', 'simulators']), []);
  assert.deepEqual(offending(['simulators'], ['harness', 'fixtures', 'catalog']), []);
  assert.deepEqual(offending(['harness'], ['fixtures']), []);
});

test('no import cycle', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      cycles.push([...stack.slice(stack.indexOf(f)), f].join(' -> '));
      return;
    }
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) if (graph.has(d)) visit(d);
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) visit(f);
  assert.deepEqual(cycles, []);
});

/**
 * What a reader of the repository can follow: no file points at the team's notes outside it (../shared, /work/...)
 * or at an issue of a tracker the reader cannot open; a public issue is cited by its URL.
 */
test('no file cites a path or an issue outside the repository', () => {
  const OUTSIDE = /\/work\/|\.\.\/shared\/|\bshared\/(?:idp-|contracts|design|style|seed)/;
  const PRIVATE_ISSUE = /\b(?:issue|task|stop)s? #?\d+\b/i;
  const cited = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs', '*.md', '*.json', '.ci/*', 'scripts/*'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.startsWith('docs/rfc/') && !f.startsWith('docs/reference/') && f !== 'package-lock.json' && f !== 'scripts/boundaries.test.ts');
  const found: string[] = [];
  for (const f of new Set(cited)) {
    let lines: string[];
    try {
      lines = readFileSync(join(ROOT, f), 'utf8').split('\n');
    } catch {
      continue;
    }
    lines.forEach((line, i) => {
      if (OUTSIDE.test(line) || (PRIVATE_ISSUE.test(line) && !/https?:\/\//.test(line))) found.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  assert.deepEqual(found, []);
});
