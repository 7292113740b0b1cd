import type { AccountOverview } from '../../service.ts';
import { html, when, type SafeHtml } from '../html.ts';
import { csrfField } from '../layout.ts';

export interface SecurityView {
  overview: AccountOverview;
  csrfToken: string;
  canManageSso: boolean;
  /** Why this admin may not revoke the token, or null when Revoke is offered. */
  revokeBlocked: string | null;
  /** The menu's Revoke posts at once instead of asking "Revoke SCIM token?" first. */
  revokeAtOnce?: boolean;
  generateBlocked: string | null;
  /** Present only in the response to Generate: the one time the token is shown. */
  issued?: { token: string; scimUrl: string };
  confirmRevoke?: boolean;
  notice?: { kind: 'ok' | 'bad'; text: string };
}

const STATE_BADGE = {
  unconfigured: html`<span class="badge">Not configured</span>`,
  configured: html`<span class="badge warn">Configured, not active</span>`,
  active: html`<span class="badge ok">Active</span>`,
};

function ssoSection(v: SecurityView): SafeHtml {
  const { overview: o, csrfToken } = v;
  const dis = v.canManageSso ? '' : html`disabled`;
  return html`<section class="card" aria-labelledby="sso-heading">
  <h2 id="sso-heading">Single sign-on (SSO) ${STATE_BADGE[o.ssoState]}</h2>
  <p class="muted">People sign in to the app through your OpenID Connect identity provider. SCIM provisioning needs SSO configured and activated.</p>
  ${v.canManageSso ? '' : html`<p class="note">Your role can view these settings but not change them.</p>`}
  <form method="post" action="/console/security/sso">
    ${csrfField(csrfToken)}
    <label for="sso-issuer">Issuer URL</label>
    <input id="sso-issuer" name="issuer" type="url" required value="${o.sso?.issuer ?? ''}" placeholder="https://idp.example.com" ${dis}>
    <label for="sso-client-id">Client ID</label>
    <input id="sso-client-id" name="clientId" type="text" required value="${o.sso?.clientId ?? ''}" ${dis}>
    <label for="sso-client-secret">Client secret</label>
    <input id="sso-client-secret" name="clientSecret" type="password" autocomplete="off" ${o.sso ? html`placeholder="Stored (leave empty to keep it)"` : html`required`} ${dis}>
    <p class="row" style="margin-top:1rem"><button type="submit" ${dis}>Save SSO settings</button></p>
  </form>
  <div class="row">
    ${
      o.ssoState === 'configured'
        ? html`<form method="post" action="/console/security/sso/activate">${csrfField(csrfToken)}<button type="submit" ${dis}>Activate SSO</button></form>`
        : ''
    }
    ${
      o.ssoState === 'active'
        ? html`<form method="post" action="/console/security/sso/deactivate">${csrfField(csrfToken)}<button class="secondary" type="submit" ${dis}>Deactivate SSO</button></form>`
        : ''
    }
    ${
      o.ssoState !== 'unconfigured'
        ? html`<form method="post" action="/console/security/sso/clear">${csrfField(csrfToken)}<button class="secondary" type="submit" ${dis}>Remove SSO configuration</button></form>`
        : ''
    }
  </div>
</section>`;
}

function tokenPanel(issued: { token: string; scimUrl: string }): SafeHtml {
  return html`<div class="dialog" role="dialog" aria-modal="false" aria-labelledby="generate-heading" style="box-shadow:none;border:1px solid #b2e2bd;width:auto;margin:1rem 0">
  <h2 id="generate-heading">Generate SCIM Token</h2>
  <p class="note warn"><strong>Copy these now: they are shown only once.</strong> Treat the SCIM token and the SCIM URL as securely as a password and store them in a safe place. Then configure your identity provider with them.</p>
  <label for="issued-token">SCIM Token</label>
  <div class="secret-field"><input id="issued-token" type="text" readonly value="${issued.token}" aria-label="SCIM Token">
    <button type="button" class="secondary" data-copy="issued-token" data-label="Copy SCIM Token">Copy SCIM Token</button></div>
  <label for="issued-url">SCIM URL</label>
  <div class="secret-field"><input id="issued-url" type="text" readonly value="${issued.scimUrl}" aria-label="SCIM URL">
    <button type="button" class="secondary" data-copy="issued-url" data-label="Copy SCIM URL">Copy SCIM URL</button></div>
  <p class="row" style="margin-top:1rem"><a class="button" href="/console/security">Done</a></p>
</div>`;
}

function revokeDialog(csrfToken: string): SafeHtml {
  return html`<div class="backdrop">
  <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="revoke-heading" aria-describedby="revoke-text">
    <h2 id="revoke-heading">Revoke SCIM token?</h2>
    <p id="revoke-text">Your identity provider stops managing users at once: SCIM requests with this token are refused. To resume provisioning, generate a new token and update the identity provider.</p>
    <div class="row">
      <form method="post" action="/console/security/scim-token/revoke">${csrfField(csrfToken)}<button class="danger" type="submit">Revoke</button></form>
      <a class="button secondary" href="/console/security">Cancel</a>
    </div>
  </div>
</div>`;
}

function scimSection(v: SecurityView): SafeHtml {
  const { overview: o, csrfToken } = v;
  const active = o.scimToken.active;
  const revokeItem = v.revokeAtOnce
    ? html`<form method="post" action="/console/security/scim-token/revoke">${csrfField(csrfToken)}<button type="submit" role="menuitem">Revoke</button></form>`
    : html`<a role="menuitem" href="/console/security?confirm=revoke">Revoke</a>`;
  const menu =
    active && v.revokeBlocked === null
      ? html`<button type="button" class="menu-button" popovertarget="scim-menu" aria-label="SCIM token actions" aria-haspopup="menu">⋯</button>
  <div id="scim-menu" class="menu" popover role="menu" aria-label="SCIM token actions">
    ${revokeItem}
  </div>`
      : '';
  return html`<section class="card" aria-labelledby="scim-heading">
  <h2 id="scim-heading">SCIM Provisioning ${active ? html`<span class="badge ok">Token active</span>` : html`<span class="badge">No active token</span>`}</h2>
  <p class="muted">Your identity provider (Okta, Microsoft Entra ID, SailPoint) creates, updates and deactivates users here through SCIM. Master Admins and Security Admins can generate and revoke the token.</p>
  ${v.issued ? tokenPanel(v.issued) : ''}
  <div class="row">
    <div>${active ? html`Active token generated ${when(o.scimToken.created)}.` : 'SCIM provisioning is off: there is no active token.'}</div>
    <span class="spacer"></span>
    <form method="post" action="/console/security/scim-token">${csrfField(csrfToken)}
      <button type="submit" ${v.generateBlocked ? html`disabled aria-describedby="generate-reason"` : ''}>${active ? 'Generate new token' : 'Generate'}</button>
    </form>
    ${menu}
  </div>
  ${v.generateBlocked ? html`<p id="generate-reason" class="note warn">${v.generateBlocked}</p>` : ''}
  ${active && v.revokeBlocked ? html`<p id="revoke-reason" class="note">${v.revokeBlocked}</p>` : ''}
  ${active && !v.generateBlocked ? html`<p class="muted">Generating a new token replaces the active one at once; update your identity provider with the new token.</p>` : ''}
</section>`;
}

export function securityContent(v: SecurityView): SafeHtml {
  return html`<h1>Security</h1>
<p class="lede">Single sign-on and SCIM provisioning for this account.</p>
${v.notice ? html`<p class="note ${v.notice.kind}" role="status">${v.notice.text}</p>` : ''}
${ssoSection(v)}
${scimSection(v)}
${v.confirmRevoke && v.overview.scimToken.active && v.revokeBlocked === null ? revokeDialog(v.csrfToken) : ''}`;
}
