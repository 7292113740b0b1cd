import { randomBytes } from 'node:crypto';
import { expect, given, req, test, verify, type LifecycleTenant } from '../../fixtures/lifecycle.ts';
import type { WithCapabilities } from '../../harness/adapter.ts';
import { PreconditionFailed } from '../../harness/outcomes.ts';
import type { CapturedMail, Mailbox } from '../../harness/mailbox.ts';
import { createDirectory } from '../../simulators/index.ts';
import { issuedForCheck, revokedForCheck } from './tokens.ts';
import { provided } from './steps.ts';

/**
 * The seed's three emails, caught by the harness's SMTP server: "New SCIM Token" on Generate, "SCIM Token Revoked"
 * on Revoke (to the admins who manage tokens), "New SSO account" to a user the IdP creates. None carries a token.
 */

const summary = (mails: CapturedMail[]) => mails.map((m) => ({ to: m.to, subject: m.subject }));

async function attachMails(tenant: LifecycleTenant, mails: CapturedMail[]) {
  const masked = mails.map((m) => ({ to: m.to, subject: m.subject, text: tenant.secrets.reduce((t, s) => t.split(s).join('***'), m.text) }));
  await test.info().attach('emails', { body: JSON.stringify(masked, null, 2), contentType: 'application/json' });
}

function expectNoToken(tenant: LifecycleTenant, mails: CapturedMail[]) {
  // booleans only: a failing assertion must not print the token into the report
  const leaked = mails.filter((m) => tenant.secrets.some((s) => m.raw.includes(s) || m.text.includes(s)));
  expect(summary(leaked), 'emails containing a SCIM token').toEqual([]);
}

async function waitForSubject(mailbox: Mailbox, to: string, subject: RegExp): Promise<CapturedMail | undefined> {
  return mailbox.waitFor((m) => m.to.some((t) => t.toLowerCase() === to.toLowerCase()) && subject.test(m.subject), 15_000);
}

/**
 * "A confirmation email, <subject>, is sent": to this tenant's token-managing admins (the guide names no recipient;
 * one of them receiving it is enough, and it tells this tenant's mail from another's in the shared capture).
 */
async function expectMailToTokenAdmins(tenant: LifecycleTenant, mailbox: Mailbox, admins: [string, string], subject: string): Promise<CapturedMail[]> {
  const exact = new RegExp(`^${subject}$`);
  const got = await mailbox.waitFor((m) => m.to.some((t) => admins.some((a) => a.toLowerCase() === t.toLowerCase())) && exact.test(m.subject), 15_000);
  const mails = mailbox.to(admins);
  await attachMails(tenant, mails);
  expect(!!got, `"${subject}" to the tenant's admins; received: ${JSON.stringify(summary(mails))}`).toBe(true);
  return mails;
}

/** The emails of the token-managing admins: their addresses, as a precondition of the email checks. */
async function tokenAdmins(adapter: WithCapabilities<'adminEmail'>): Promise<[string, string]> {
  return given("the token-managing admins' email addresses", async () => [
    await adapter.adminEmail('Master Admin'),
    await adapter.adminEmail('Security Admin'),
  ]);
}

test('Generate sends "New SCIM Token", without the token', req('LC-EMAIL-NEW-TOKEN', 'LC-EMAIL-NO-TOKEN'), async ({ tenant, mailbox, needs }) => {
  const admins = await tokenAdmins(needs('issueToken', 'adminEmail'));
  await issuedForCheck(tenant);
  let mails: CapturedMail[] = [];
  await verify('LC-EMAIL-NEW-TOKEN', async () => {
    mails = await expectMailToTokenAdmins(tenant, mailbox, admins, 'New SCIM Token');
  });
  await verify('LC-EMAIL-NO-TOKEN', () => expectNoToken(tenant, mails.length > 0 ? mails : mailbox.to(admins)));
});

test('Revoke sends "SCIM Token Revoked", without the token', req('LC-EMAIL-TOKEN-REVOKED', 'LC-EMAIL-NO-TOKEN'), async ({ tenant, mailbox, needs }) => {
  const admins = await tokenAdmins(needs('revokeToken', 'adminEmail'));
  // the email follows the Revoke the app accepted, whether or not the token then stops working
  await revokedForCheck(tenant, { takesEffect: false });
  let mails: CapturedMail[] = [];
  await verify('LC-EMAIL-TOKEN-REVOKED', async () => {
    mails = await expectMailToTokenAdmins(tenant, mailbox, admins, 'SCIM Token Revoked');
  });
  await verify('LC-EMAIL-NO-TOKEN', () => expectNoToken(tenant, mails.length > 0 ? mails : mailbox.to(admins)));
});

test(
  'a user the IdP creates gets "New SSO account", telling them to sign in through their IdP',
  req('LC-EMAIL-NEW-SSO-ACCOUNT', 'LC-EMAIL-SSO-INSTRUCTIONS', 'LC-EMAIL-NO-TOKEN'),
  async ({ tenant, mailbox }) => {
    // people of their own (a unique domain), so this test's mail cannot be confused with another's
    const directory = createDirectory('okta', { seed: 4242, users: 1, groups: 0, domain: `m${randomBytes(4).toString('hex')}.lifecycle.test` });
    const person = directory.people[0]!;
    const okta = tenant.simulator('okta', { directory });
    await provided(tenant, okta.assign(person.key), 'Okta assigns the user to the app', 'OKTA-ASSIGN-CREATE');
    const welcome = await waitForSubject(mailbox, person.email, /^New SSO account/);
    const mails = mailbox.to([person.email]);
    await attachMails(tenant, mails);
    await verify('LC-EMAIL-NEW-SSO-ACCOUNT', () => {
      expect(!!welcome, `"New SSO account" to ${person.email}; received: ${JSON.stringify(summary(mails))}`).toBe(true);
    });
    await verify('LC-EMAIL-SSO-INSTRUCTIONS', () => {
      if (!welcome) throw new PreconditionFailed('no "New SSO account" email arrived to read', 'LC-EMAIL-NEW-SSO-ACCOUNT');
      expect(welcome.text, 'the email says to sign in through the identity provider (single sign-on)').toMatch(/(identity provider|single sign-on|\bSSO\b)/i);
    });
    await verify('LC-EMAIL-NO-TOKEN', () => expectNoToken(tenant, mails));
  },
);
