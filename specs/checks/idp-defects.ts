import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { certifyAgainstDefects, type DefectVerdicts } from './certify-run.ts';
import { findRequirement } from '../../catalog/index.ts';

/** `certify --profile <idp> --only <ids>` against `serve --demo --defect ...`. */
function certifyAgainst(profile: string, defects: string[], only: string[]): Promise<DefectVerdicts> {
  return certifyAgainstDefects(defects, ['--profile', profile, '--only', only.join(',')], 240_000);
}

/** Registers: the mapped ids pass without defects, and each defect alone fails exactly its ids. */
export function defectSuite(profile: string, mapping: Record<string, string[]>): void {
  test(`${profile}: without defects the mapped requirements pass`, async () => {
    const all = [...new Set(Object.values(mapping).flat())];
    const v = await certifyAgainst(profile, [], all);
    assert.equal(v.code, 0, v.stderr.slice(-2000));
    for (const id of all) assert.equal(v.statuses[id], 'passed', id);
  });
  // each case starts its own server and certify run; two at a time on two cores
  describe(`${profile}: certify against each defect`, { concurrency: 2 }, () => {
    for (const [defect, ids] of Object.entries(mapping)) {
      test(`defect ${defect} fails ${ids.join(', ')}`, async () => {
        const v = await certifyAgainst(profile, [defect], ids);
        // exit 1 only when a MUST failed; a failed SHOULD or MAY is reported, not fatal
        const must = ids.some((id) => findRequirement(id)?.severity === 'MUST');
        assert.equal(v.code, must ? 1 : 0, `exit code; output:\n${v.stderr.slice(-2000)}`);
        for (const id of ids) assert.equal(v.statuses[id], 'failed', `${id} under ${defect}`);
      });
    }
  });
}
