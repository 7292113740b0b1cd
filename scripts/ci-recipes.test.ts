import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { certificateFileSchemaErrors } from '../cli/testing/certificate-json-schema.ts';
import { freePort, GITHUB_INSTALL_STEP, makeWorkspace, readRecipe, runGithubJob, runGitlabJob, type StepRun, type Yaml } from './ci-recipes/runner.ts';

// The platforms' own JSON schemas for workflow files are not npm packages here: these tests check the keys the
// recipes rely on (and that no job or step key is misspelt), then run the recipes' shell steps for real.

/** Short enough for a local run: two files, so each shard has checks. */
const SELECTION = '--profile okta,security --only OKTA-ASSIGN-CREATE,OKTA-CONNECT-LIST,SEC-AUTH-MISSING,SEC-AUTH-WRONG';
const TAMPERED = 'OKTA-ASSIGN-CREATE';

const GITHUB_JOB_KEYS = new Set([
  'name',
  'runs-on',
  'needs',
  'if',
  'strategy',
  'env',
  'permissions',
  'steps',
  'timeout-minutes',
  'services',
  'container',
  'outputs',
  'defaults',
  'concurrency',
  'environment',
  'continue-on-error',
]);
const GITHUB_STEP_KEYS = new Set(['name', 'id', 'uses', 'with', 'run', 'if', 'env', 'shell', 'continue-on-error', 'timeout-minutes', 'working-directory']);
const GITLAB_JOB_KEYS = new Set([
  'stage',
  'image',
  'script',
  'before_script',
  'after_script',
  'needs',
  'parallel',
  'variables',
  'artifacts',
  'when',
  'cache',
  'rules',
  'services',
  'tags',
  'timeout',
  'allow_failure',
  'retry',
  'dependencies',
  'environment',
  'interruptible',
]);
const GITLAB_GLOBAL_KEYS = new Set(['stages', 'variables', 'default', 'workflow', 'include']);

const ok = (runs: StepRun[]) => runs.every((r) => r.code === 0);
const show = (runs: StepRun[]) => runs.map((r) => `--- ${r.name}: exit ${r.code}\n${r.output.slice(-3000)}`).join('\n');

/** Marks the checks of one requirement failed in a shard's results, as if the service had regressed there. */
function failRequirement(resultsFile: string, id: string): void {
  type Verdict = { id: string; status: string; message?: string };
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
    tests: Array<{ requirements: string[]; status: string; errors: string[]; verdicts?: Verdict[] }>;
  };
  const hit = results.tests.filter((t) => t.requirements.includes(id));
  assert.ok(hit.length > 0, `no check of ${id} in ${resultsFile}`);
  const error = 'Error: expected 201, received 200 (made to fail by the test)';
  for (const t of hit) {
    Object.assign(t, { status: 'failed', errors: [error] });
    // a test that judged the requirement in a verify() block carries its own verdict: that is what the certificate reads
    for (const v of t.verdicts ?? []) if (v.id === id) Object.assign(v, { status: 'failed', message: error });
  }
  writeFileSync(resultsFile, JSON.stringify(results));
}

function assertMerged(ws: string): void {
  const cert = join(ws, 'reports/merged/certificate.json');
  assert.deepEqual(certificateFileSchemaErrors(cert), []);
  const statuses = (JSON.parse(readFileSync(cert, 'utf8')) as { requirements: Array<{ id: string; status: string }> }).requirements.map(
    (r) => `${r.id} ${r.status}`,
  );
  assert.deepEqual(statuses.sort(), ['OKTA-ASSIGN-CREATE passed', 'OKTA-CONNECT-LIST passed', 'SEC-AUTH-MISSING passed', 'SEC-AUTH-WRONG passed']);
  for (const f of ['junit.xml', 'html/index.html', 'allure-report', 'certificate.md'])
    assert.ok(existsSync(join(ws, 'reports/merged', f)), `reports/merged/${f} missing`);
}

test('the GitHub Actions recipe has the structure its steps rely on', () => {
  const wf = readRecipe('github-actions.yml');
  assert.deepEqual(Object.keys(wf.jobs), ['service', 'certify', 'merge']);
  assert.ok(wf.on && 'push' in wf.on && 'pull_request' in wf.on);
  for (const [id, job] of Object.entries(wf.jobs as Record<string, Yaml>)) {
    for (const k of Object.keys(job)) assert.ok(GITHUB_JOB_KEYS.has(k), `jobs.${id}.${k} is not a job key`);
    assert.equal(job['runs-on'], 'ubuntu-latest');
    for (const need of [job.needs ?? []].flat()) assert.ok(need in wf.jobs, `jobs.${id}.needs ${need}`);
    for (const [i, step] of (job.steps as Yaml[]).entries()) {
      for (const k of Object.keys(step)) assert.ok(GITHUB_STEP_KEYS.has(k), `jobs.${id}.steps[${i}].${k} is not a step key`);
      assert.ok((step.run === undefined) !== (step.uses === undefined), `jobs.${id}.steps[${i}] needs exactly one of run and uses`);
      if (step.uses) assert.match(step.uses, /^[\w-]+\/[\w-]+@v\d+$/, 'actions pinned to a major version');
    }
    assert.ok(
      (job.steps as Yaml[]).some((s) => s.name === GITHUB_INSTALL_STEP && /^npm ci\b/.test(s.run)),
      `jobs.${id} installs with npm ci in a step named ${GITHUB_INSTALL_STEP}`,
    );
  }
  const { certify, merge } = wf.jobs as { certify: Yaml; merge: Yaml };
  assert.deepEqual(certify.strategy.matrix.shard, [1, 2]);
  assert.equal(Number(certify.env.SHARD_TOTAL), certify.strategy.matrix.shard.length);
  assert.equal(certify.env.SHARD, '${{ matrix.shard }}');
  assert.ok(certify.steps.some((s: Yaml) => /--shard "\$SHARD\/\$SHARD_TOTAL"/.test(s.run ?? '')));
  assert.equal(merge.if, 'always()');
  assert.equal(merge.permissions.checks, 'write');
  const junit = merge.steps.find((s: Yaml) => /^mikepenz\/action-junit-report@/.test(s.uses ?? ''));
  assert.equal(junit?.with?.report_paths, 'reports/merged/junit.xml');
  // what comes after the gate must still run when it failed
  const gate = merge.steps.findIndex((s: Yaml) => /scimulator diff/.test(s.run ?? ''));
  assert.ok(gate > 0 && merge.steps.slice(gate + 1).every((s: Yaml) => s.if === 'always()'));
  const uploads = merge.steps.filter((s: Yaml) => /^actions\/upload-artifact@/.test(s.uses ?? '')).map((s: Yaml) => String(s.with.path));
  assert.match(uploads.join('\n'), /reports\/merged\/html[\s\S]*reports\/merged\/allure-report/);
});

test('the GitLab CI recipe has the structure its jobs rely on', () => {
  const pl = readRecipe('gitlab-ci.yml');
  const jobs = Object.keys(pl).filter((k) => !GITLAB_GLOBAL_KEYS.has(k));
  assert.deepEqual(jobs, ['service', 'certify', 'merge']);
  assert.deepEqual(pl.stages, ['service', 'certify', 'merge']);
  for (const id of jobs) {
    const job = pl[id] as Yaml;
    for (const k of Object.keys(job)) assert.ok(GITLAB_JOB_KEYS.has(k), `${id}.${k} is not a job keyword`);
    assert.ok(pl.stages.includes(job.stage), `${id}.stage`);
    assert.ok(Array.isArray(job.script) && job.script.every((l: unknown) => typeof l === 'string'), `${id}.script is a list of strings`);
    for (const need of job.needs ?? []) assert.ok(jobs.includes(need), `${id}.needs ${need}`);
  }
  assert.ok(pl.default.before_script.some((l: string) => /^npm ci\b/.test(l)));
  assert.equal(pl.default.image, 'node:20-bookworm');
  const { certify, merge } = pl as { certify: Yaml; merge: Yaml };
  assert.deepEqual(certify.parallel.matrix, [{ SHARD: ['1', '2'] }]);
  assert.equal(Number(certify.variables.SHARD_TOTAL), 2);
  assert.equal(certify.artifacts.when, 'always');
  assert.equal(merge.when, 'always');
  assert.equal(merge.artifacts.when, 'always');
  assert.equal(merge.artifacts.reports.junit, 'reports/merged/junit.xml');
  assert.ok(merge.artifacts.paths.includes('reports/merged/html/') && merge.artifacts.paths.includes('reports/merged/allure-report/'));
});

test('the GitHub Actions recipe certifies in two shards, merges, and fails on a regression against the baseline', { timeout: 600_000 }, async () => {
  const wf = readRecipe('github-actions.yml');
  const ws = makeWorkspace();
  try {
    const overrides = { CERTIFY_ARGS: SELECTION, SCIM_PORT: String(await freePort()) };
    const service = runGithubJob(ws, wf, 'service', {}, overrides);
    assert.ok(ok(service), show(service));
    for (const shard of [1, 2]) {
      const runs = runGithubJob(ws, wf, 'certify', { shard }, overrides);
      assert.ok(ok(runs), show(runs));
      assert.match(runs.find((r) => r.name === 'Certify shard')!.output, new RegExp(`certify shard ${shard}/2 exited 0`));
    }
    const merge = runGithubJob(ws, wf, 'merge', {}, overrides);
    assert.ok(ok(merge), show(merge));
    assertMerged(ws);
    assert.match(readFileSync(join(ws, 'step-summary.md'), 'utf8'), /no baseline at scim-baseline\/certificate\.json[\s\S]*# SCIM conformance certificate/);

    // this run is the baseline; the next one fails OKTA-ASSIGN-CREATE: the gate fails, the reports are still kept
    mkdirSync(join(ws, 'scim-baseline'));
    cpSync(join(ws, 'reports/merged/certificate.json'), join(ws, 'scim-baseline/certificate.json'));
    const shardOf = ['scim-shard-1', 'scim-shard-2'].find((a) => readFileSync(join(ws, '.artifacts', a, 'results.json'), 'utf8').includes(TAMPERED))!;
    failRequirement(join(ws, '.artifacts', shardOf, 'results.json'), TAMPERED);
    rmSync(join(ws, 'reports'), { recursive: true });
    rmSync(join(ws, 'step-summary.md'));
    const again = runGithubJob(ws, wf, 'merge', {}, overrides);
    const gate = again.find((r) => r.name === 'Merge the shards and compare with the baseline')!;
    assert.equal(gate.code, 1, show(again));
    assert.match(gate.output, /merge-reports exited 1 .* diff exited 1/);
    assert.match(
      readFileSync(join(ws, 'step-summary.md'), 'utf8'),
      new RegExp(`\\| ${TAMPERED} \\| MUST \\| passed \\| failed \\|[\\s\\S]*REGRESSION: 1 requirement`),
    );
    assert.deepEqual(
      again.slice(again.indexOf(gate) + 1).map((r) => `${r.name} ${r.code}`),
      ['Test results 0', 'actions/upload-artifact@v4 0'],
    );
    assert.ok(existsSync(join(ws, '.artifacts/scim-reports')));
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('the GitLab CI recipe certifies in two shards, merges, and fails on a regression against the baseline', { timeout: 600_000 }, async () => {
  const pl = readRecipe('gitlab-ci.yml');
  const ws = makeWorkspace();
  try {
    const overrides = { CERTIFY_ARGS: SELECTION, SCIM_PORT: String(await freePort()) };
    const service = runGitlabJob(ws, pl, 'service', {}, overrides);
    assert.equal(service.code, 0, service.output);
    for (const SHARD of pl.certify.parallel.matrix[0].SHARD as string[]) {
      const shard = runGitlabJob(ws, pl, 'certify', { SHARD }, overrides);
      assert.equal(shard.code, 0, shard.output);
      assert.match(shard.output, new RegExp(`certify shard ${SHARD}/2 exited 0`));
    }
    const merge = runGitlabJob(ws, pl, 'merge', {}, overrides);
    assert.equal(merge.code, 0, merge.output);
    assert.match(merge.output, /no baseline at scim-baseline\/certificate\.json/);
    assertMerged(ws);

    mkdirSync(join(ws, 'scim-baseline'));
    cpSync(join(ws, 'reports/merged/certificate.json'), join(ws, 'scim-baseline/certificate.json'));
    const shardDir = ['shard-1', 'shard-2'].find((d) => readFileSync(join(ws, 'reports', d, 'results.json'), 'utf8').includes(TAMPERED))!;
    failRequirement(join(ws, 'reports', shardDir, 'results.json'), TAMPERED);
    rmSync(join(ws, 'reports/merged'), { recursive: true });
    const again = runGitlabJob(ws, pl, 'merge', {}, overrides);
    assert.equal(again.code, 1, again.output);
    assert.match(again.output, new RegExp(`\\| ${TAMPERED} \\| MUST \\| passed \\| failed \\|`));
    assert.match(again.output, /merge-reports exited 1 .* diff exited 1/);
    assert.ok(existsSync(join(ws, 'reports/merged/junit.xml')) && existsSync(join(ws, 'reports/merged/diff.md')));
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
