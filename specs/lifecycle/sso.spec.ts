import { expect, req, test, type LifecycleTenant } from '../../fixtures/lifecycle.ts';
import { issueExpectingToken } from './issue.ts';

/**
 * Seed: "SCIM is available for accounts where SSO is both configured and activated." In every SSO state: can an
 * admin generate a token, and does the SCIM API answer a valid token?
 */

async function expectScimRefusedForSso(tenant: LifecycleTenant) {
  const res = await tenant.probe();
  expect(res.status, 'SCIM with a valid token while SSO is not active').toBe(403);
  const detail = String((res.body as { detail?: unknown } | undefined)?.detail ?? '');
  expect(detail, 'the SCIM error says SSO is not active').toMatch(/SSO/i);
}

async function expectGenerateRefused(tenant: LifecycleTenant) {
  const issued = await tenant.adapter.issueToken!({ role: 'Master Admin' });
  if (!('refused' in issued)) tenant.secrets.push(issued.token);
  expect('refused' in issued, 'Generate must be refused while SSO is not active').toBe(true);
  if ('refused' in issued) expect(issued.refused, 'the refusal explains that SSO must be configured and activated').toMatch(/SSO/i);
}

test('without SSO configured, Generate is refused with an explanation and SCIM refuses the token', req('LC-SSO-GATE-UNCONFIGURED'), async ({ tenant, needsTenant }) => {
  needsTenant('setSso', 'issueToken');
  await tenant.adapter.setSso!('unconfigured');
  await expectGenerateRefused(tenant);
  await expectScimRefusedForSso(tenant);
});

test('with SSO configured but not activated, Generate is refused and SCIM refuses the token', req('LC-SSO-GATE-CONFIGURED'), async ({ tenant, needsTenant }) => {
  needsTenant('setSso', 'issueToken');
  await tenant.adapter.setSso!('unconfigured');
  await tenant.adapter.setSso!('configured');
  await expectGenerateRefused(tenant);
  await expectScimRefusedForSso(tenant);
});

test('once SSO is configured and activated, Generate works and SCIM answers', req('LC-SSO-GATE-ACTIVE'), async ({ tenant, needsTenant }) => {
  needsTenant('setSso', 'issueToken');
  await tenant.adapter.setSso!('unconfigured');
  await tenant.adapter.setSso!('configured');
  await tenant.adapter.setSso!('active');
  const issued = await issueExpectingToken(tenant, 'Master Admin', 'Generate with SSO active was refused');
  if (!issued) return;
  expect((await tenant.probe(issued.token)).status, 'SCIM with SSO active').toBe(200);
});

test('when SSO is deactivated later, SCIM requests are refused with a SCIM error about SSO', req('LC-SSO-DEACTIVATED-REFUSED'), async ({ tenant, needsTenant }) => {
  needsTenant('setSso');
  expect((await tenant.probe()).status, 'SCIM while SSO is active').toBe(200);
  await tenant.adapter.setSso!('configured');
  await expectScimRefusedForSso(tenant);
  await tenant.adapter.setSso!('active');
  expect((await tenant.probe()).status, 'SCIM again once SSO is active again').toBe(200);
});
