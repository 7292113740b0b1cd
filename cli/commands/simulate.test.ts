import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { IDP_INFO, createSimulator, type IdpName } from '../../simulators/index.ts';

const root = new URL('../../', import.meta.url).pathname;
const bin = `${root}cli/bin.js`;
let serve: ChildProcess;
let ready: { scimUrl: string; token: string };

/** The reference server as any target: a child process reached over HTTP. */
before(async () => {
  serve = spawn(process.execPath, [bin, 'serve', '--demo', '--port', '0', '--db', ':memory:'], {
    cwd: root,
    env: { ...process.env, SCIMULATOR_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: serve.stdout! });
  ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve printed no ready line within 20 s')), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { scimUrl: string; token: string });
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
});

after(() => {
  serve?.kill();
});

for (const info of Object.values(IDP_INFO)) {
  for (const mode of info.modes) {
    test(`${info.idp} ${mode} full-lifecycle runs green against scimulator serve --demo`, async () => {
      const sim = createSimulator(info.idp as IdpName, {
        target: { scimUrl: ready.scimUrl, token: ready.token },
        mode,
        seed: 1000 + info.modes.indexOf(mode) + info.idp.length * 10,
      });
      try {
        const result = await sim.run('full-lifecycle');
        assert.deepEqual(
          result.steps.filter((s) => !s.ok).map((s) => `${s.name}: ${s.message}`),
          [],
        );
        assert.ok(result.steps.length >= 10);
      } finally {
        await sim.close();
      }
    });
  }
}

for (const mode of IDP_INFO.entra.modes) {
  for (const scenario of ['provision-on-demand', 'soft-delete-30-days']) {
    test(`entra ${mode} ${scenario} runs green against scimulator serve --demo, on the simulated clock`, async () => {
      const sim = createSimulator('entra', { target: { scimUrl: ready.scimUrl, token: ready.token }, mode, seed: 2000 + IDP_INFO.entra.modes.indexOf(mode) });
      try {
        const wall = Date.now();
        const result = await sim.run(scenario);
        assert.deepEqual(
          result.steps.filter((s) => !s.ok).map((s) => `${s.name}: ${s.message}`),
          [],
        );
        assert.ok(Date.now() - wall < 20_000, 'the 30 days pass without real waiting');
        const actions = result.steps.map((s) => s.log?.action);
        if (scenario === 'provision-on-demand') assert.deepEqual(actions, ['Create', 'Update', 'Disable']);
        else
          assert.deepEqual(
            actions.filter((a) => a === 'Disable' || a === 'Delete'),
            ['Disable', 'Delete'],
          );
      } finally {
        await sim.close();
      }
    });
  }
}

function cli(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, SCIMULATOR_LOG_LEVEL: 'silent' } });
}

test("simulate --json: the contract shape and the IdP's own wire shapes, secrets redacted", () => {
  const entra = cli(['simulate', 'entra', 'full-lifecycle', '--target', ready.scimUrl, '--token', ready.token, '--mode', 'legacy', '--json', '--seed', '77']);
  assert.equal(entra.status, 0, entra.stderr);
  const out = JSON.parse(entra.stdout) as {
    idp: string;
    scenario: string;
    mode: string;
    steps: Array<{
      name: string;
      ok: boolean;
      message: string;
      exchanges: Array<{ request: { method: string; url: string; headers: Record<string, string>; body: unknown }; response: { status: number }; ms: number }>;
    }>;
  };
  assert.deepEqual([out.idp, out.scenario, out.mode], ['entra', 'full-lifecycle', 'legacy']);
  assert.match(entra.stdout, /"op":"Replace","path":"active","value":"False"/);
  assert.ok(!entra.stdout.includes(ready.token), 'the token leaked');
  const first = out.steps[0]!.exchanges[0]!;
  assert.equal(first.request.headers.authorization, 'Bearer [REDACTED]');
  assert.equal(typeof first.ms, 'number');

  const okta = cli(['simulate', 'okta', 'full-lifecycle', '--target', ready.scimUrl, '--token', ready.token, '--json', '--seed', '78']);
  assert.equal(okta.status, 0, okta.stderr);
  assert.match(okta.stdout, /"user-agent":"Okta SCIM Client 1\.0\.0"/);
  assert.match(okta.stdout, /"Operations":\[\{"op":"replace","value":\{"active":false\}\}\]/);
});

test('simulate exit codes: 1 when a step fails, 2 for usage and connection errors', () => {
  const bad = cli(['simulate', 'okta', 'connect', '--target', ready.scimUrl, '--token', 'not-the-token']);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /FAIL\s+Test API Credentials/);
  assert.equal(cli(['simulate', 'okta', 'nope', '--target', ready.scimUrl, '--token', 't']).status, 2);
  assert.equal(cli(['simulate', 'okta', 'connect', '--token', 't']).status, 2);
  assert.equal(cli(['simulate', 'entra', 'connect', '--target', ready.scimUrl, '--token', 't', '--mode', 'oin']).status, 2);
  const badOption = cli(['simulate', 'entra', 'connect', '--target', ready.scimUrl, '--token', 't', '--option', 'on429=later']);
  assert.equal(badOption.status, 2);
  assert.match(badOption.stderr, /invalid entra option: on429/);
  assert.equal(cli(['simulate', 'okta', 'connect', '--target', ready.scimUrl, '--token', 't', '--option', 'nope=1']).status, 2);
  const unreachable = cli(['simulate', 'sailpoint', 'connect', '--target', 'http://127.0.0.1:2/scim/v2', '--token', 't']);
  assert.equal(unreachable.status, 2);
  assert.match(unreachable.stderr, /could not reach the target/);
  assert.doesNotMatch(unreachable.stderr, /at .*\.ts:\d+/);
  const help = cli(['simulate', '--help']);
  assert.equal(help.status, 0);
  for (const word of ['full-lifecycle', 'oin | aiw', 'legacy | compliant | mixed', 'patch | put', 'push-groups', 'on429'])
    assert.ok(help.stdout.includes(word), word);
});

test('load --json prints the contract object; usage errors exit 2', () => {
  const r = cli(['load', 'entra', '--users', '25', '--groups', '2', '--target', ready.scimUrl, '--token', ready.token, '--json', '--seed', '79']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown> & { latencyMs: Record<string, number>; errors: { total: number; byKind: object } };
  for (const key of ['idp', 'users', 'groups', 'durationS', 'throughput', 'latencyMs', 'errors', 'retries']) assert.ok(key in out, key);
  assert.deepEqual([out.idp, out.users, out.groups, out.errors.total], ['entra', 25, 2, 0]);
  assert.ok(out.latencyMs.p50! > 0 && out.latencyMs.p99! >= out.latencyMs.p50!);
  assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
  assert.equal(cli(['load', 'okta', '--target', ready.scimUrl, '--token', ready.token]).status, 2);
  assert.equal(cli(['load', 'okta', '--users', 'many', '--target', ready.scimUrl, '--token', ready.token]).status, 2);
  const table = cli(['load', 'sailpoint', '--users', '5', '--target', ready.scimUrl, '--token', ready.token, '--seed', '80']);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /latency p50 \/ p95 \/ p99/);
});
