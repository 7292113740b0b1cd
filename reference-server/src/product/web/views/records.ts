import type { ApiKeyInfo, ConsoleUser } from '../../admins.ts';
import type { AuditEntry } from '../../audit.ts';
import type { OutboxRow } from '../../mail/outbox.ts';
import { ROLES } from '../../roles.ts';
import { html, when, type SafeHtml } from '../html.ts';
import { csrfField } from '../layout.ts';

export function outboxContent(messages: OutboxRow[], smtpConfigured: boolean): SafeHtml {
  const rows = messages.map(
    (m) => html`<tr>
  <td>${when(m.created)}</td><td>${m.to.join(', ')}</td>
  <td><details><summary>${m.subject}</summary><pre style="white-space:pre-wrap">${m.text}</pre></details></td>
  <td><span class="badge ${m.status === 'sent' ? 'ok' : m.status === 'failed' ? 'bad' : 'warn'}">${m.status}</span>${m.lastError ? html`<div class="muted">${m.lastError}</div>` : ''}</td>
  <td>${m.attempts}</td></tr>`,
  );
  return html`<h1>Email outbox</h1>
<p class="lede">Every notification the app sends, with its delivery status. Delivery is retried in the background.</p>
${smtpConfigured ? '' : html`<p class="note warn">No SMTP server is configured: messages are kept here but not delivered.</p>`}
<section class="card"><table aria-label="Email outbox"><thead><tr><th scope="col">Queued</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Attempts</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="5" class="muted">No messages yet.</td></tr>`}</tbody></table></section>`;
}

export function auditContent(entries: AuditEntry[]): SafeHtml {
  const rows = entries.map(
    (e) =>
      html`<tr><td>${when(e.at)}</td><td>${e.actor}</td><td class="mono">${e.action}</td><td>${e.target ?? ''}</td><td class="muted">${e.detail ?? ''}</td></tr>`,
  );
  return html`<h1>Audit log</h1>
<p class="lede">Who did what and when: tokens, SSO, SCIM and console actions. Secrets are never recorded.</p>
<section class="card"><table aria-label="Audit log"><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Detail</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="5" class="muted">Nothing yet.</td></tr>`}</tbody></table></section>`;
}

export interface AdminsView {
  admins: ConsoleUser[];
  apiKeys: ApiKeyInfo[] | null;
  csrfToken: string;
  canManage: boolean;
  shownOnce?: { label: string; value: string } | undefined;
}

function roleSelect(id: string): SafeHtml {
  return html`<select id="${id}" name="role">${ROLES.map((r) => html`<option>${r}</option>`)}</select>`;
}

export function adminsContent(v: AdminsView): SafeHtml {
  const adminRows = v.admins.map((a) => html`<tr><td>${a.name}</td><td>${a.email}</td><td>${a.role}</td></tr>`);
  const keyRows = (v.apiKeys ?? []).map(
    (
      k,
    ) => html`<tr><td>${k.name}</td><td>${k.role}</td><td>${when(k.created)}</td><td>${k.revoked ? html`<span class="badge bad">Revoked</span>` : html`<span class="badge ok">Active</span>`}</td>
    <td>${k.revoked ? '' : html`<form method="post" action="/console/api-keys/${k.id}/revoke">${csrfField(v.csrfToken)}<button class="link" type="submit" aria-label="Revoke API key ${k.name}">Revoke</button></form>`}</td></tr>`,
  );
  return html`<h1>Admins &amp; API keys</h1>
<p class="lede">Console admins and their roles; admin API keys for scripts.</p>
${
  v.shownOnce
    ? html`<div class="note warn" role="status"><strong>${v.shownOnce.label}</strong> — shown only once; store it like a password.
  <div class="secret-field" style="margin-top:.5rem"><input id="shown-once" type="text" readonly value="${v.shownOnce.value}" aria-label="${v.shownOnce.label}">
  <button type="button" class="secondary" data-copy="shown-once" data-label="Copy">Copy</button></div></div>`
    : ''
}
<section class="card"><h2>Admins</h2><table aria-label="Admins"><thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th></tr></thead><tbody>${adminRows}</tbody></table>
${
  v.canManage
    ? html`<form method="post" action="/console/admins">${csrfField(v.csrfToken)}
<h3>Add an admin</h3>
<label for="admin-name">Name</label><input id="admin-name" name="name" type="text" required>
<label for="admin-email">Email</label><input id="admin-email" name="email" type="email" required>
<label for="admin-role">Role</label>${roleSelect('admin-role')}
<p class="row" style="margin-top:1rem"><button type="submit">Add admin</button></p></form>`
    : ''
}</section>
${
  v.canManage
    ? html`<section class="card"><h2>Admin API keys</h2>
<table aria-label="Admin API keys"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col"></th></tr></thead>
<tbody>${keyRows.length ? keyRows : html`<tr><td colspan="5" class="muted">No API keys.</td></tr>`}</tbody></table>
<form method="post" action="/console/api-keys">${csrfField(v.csrfToken)}
<label for="key-name">Key name</label><input id="key-name" name="name" type="text" required>
<label for="key-role">Role</label>${roleSelect('key-role')}
<p class="row" style="margin-top:1rem"><button type="submit">Create API key</button></p></form></section>`
    : ''
}`;
}
