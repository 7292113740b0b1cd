import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRequirement } from '../../catalog/index.ts';
import { configHash, signCertificate, summarize, type Certificate, type RequirementResult } from '../certify/certificate.ts';
import { loadOrCreateSigningKey } from '../certify/signing.ts';

const key = loadOrCreateSigningKey(join(mkdtempSync(join(tmpdir(), 'scimulator-cert-key-')), 'key.pem'));

/**
 * A signed certificate with these catalog requirements at these statuses, for tests of what reads certificates
 * (diff, the JSON Schema). A failed one carries an exchange as evidence, as a real run's does.
 */
export function makeCertificate(statuses: Record<string, RequirementResult['status']>, opts: { profiles?: string[]; seed?: number } = {}): Certificate {
  const requirements: RequirementResult[] = Object.entries(statuses).map(([id, status]) => {
    const r = findRequirement(id);
    if (!r) throw new Error(`makeCertificate: ${id} is not in the catalog`);
    const base = { id, title: r.title, profile: r.profile, kind: r.kind, severity: r.severity, source: r.source, status };
    if (status === 'failed') {
      return {
        ...base,
        reason: `${id} check: expected 201, received 200`,
        evidence: [
          {
            message: 'POST /Users',
            request: { method: 'POST', url: 'http://127.0.0.1/scim/v2/Users', body: { userName: 'a' } },
            response: { status: 200, body: { id: '1' } },
          },
        ],
      };
    }
    if (status === 'not_assessed') return { ...base, reason: 'the target adapter (none) does not provide freshTenant()', evidence: [] };
    if (status === 'waived') return { ...base, reason: 'waived: known, fixed in 2.1', evidence: [{ message: 'x: boom' }] };
    return { ...base, evidence: [] };
  });
  const profiles = opts.profiles ?? [...new Set(requirements.map((r) => r.profile))];
  const config = { profiles, only: [], waivers: [], readOnly: false, seed: opts.seed ?? 1 };
  return signCertificate(
    {
      schemaVersion: 1,
      suite: { name: 'scimulator', version: '0.1.0' },
      target: { scimUrl: 'http://127.0.0.1:8080/scim/v2', serviceProviderConfig: { patch: { supported: true } } },
      config: { ...config, hash: configHash(config) },
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1234,
      summary: summarize(requirements),
      requirements,
    },
    key,
  );
}
