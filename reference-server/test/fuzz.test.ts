import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { harness, type Harness } from '../src/scim/testing.ts';
import { requestArb, runCase, seed, type FuzzIds } from './fuzz-model.ts';

/**
 * Structure-aware fuzzing (test/fuzz-model.ts). A fixed-seed subset runs with the unit tests; the long run is
 * `SCIMULATOR_FUZZ_RUNS=10000 node --import tsx --test reference-server/test/fuzz.test.ts` (any seed: SCIMULATOR_FUZZ_SEED).
 */
const RUNS = Number(process.env.SCIMULATOR_FUZZ_RUNS) || 400;
const SEED = Number(process.env.SCIMULATOR_FUZZ_SEED) || 20261203;

let h: Harness;
let ids: FuzzIds;
before(async () => {
  h = await harness();
  ids = await seed(h);
});
after(async () => {
  await h.app.close();
});

test(`${RUNS} fuzzed requests: no 5xx, every error a SCIM Error, a rejected request changes nothing, an accepted write round-trips`, {
  timeout: Math.max(120_000, RUNS * 200),
}, async () => {
  const kinds = new Map<string, number>();
  let failed = '';
  const check = (ok: boolean, what: string) => {
    if (!ok) failed = what;
    assert.ok(ok, what);
  };
  const run = fc.assert(
    fc.asyncProperty(requestArb(ids), async (req) => {
      kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1);
      const v = await runCase(h, req);
      check(!v.serverError, `5xx: ${v.detail}`);
      check(!v.nonScimError, `not a SCIM error: ${v.detail}`);
      check(!v.changedOnReject, `refused but changed the data: ${v.detail}`);
      check(!v.roundTripFailed, `did not round-trip: ${v.detail}`);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  await run.catch((err: Error) => {
    throw new Error(`${failed}\n${err.message}`);
  });
  // Every generator was exercised (a typo in one would otherwise go unnoticed).
  assert.ok(kinds.size >= 12, `kinds: ${[...kinds.keys()].join(', ')}`);
});
