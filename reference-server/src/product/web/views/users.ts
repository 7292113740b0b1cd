import type { DirectoryUser, Region } from '../../directory.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField } from '../layout.ts';

export interface UsersView {
  users: DirectoryUser[];
  total: number;
  offset: number;
  perPage: number;
  search: string;
  csrfToken: string;
  canManage: boolean;
  warning: string | null;
  notice?: string | undefined;
}

function actions(u: DirectoryUser, csrf: string): SafeHtml {
  const toggle =
    u.status === 'Active'
      ? html`<form method="post" action="/console/users/${u.id}/disable">${csrfField(csrf)}<button class="link" type="submit" aria-label="Disable ${u.userName}">Disable</button></form>`
      : html`<form method="post" action="/console/users/${u.id}/enable">${csrfField(csrf)}<button class="link" type="submit" aria-label="Enable ${u.userName}">Enable</button></form>`;
  return html`${toggle} · <form method="post" action="/console/users/${u.id}/delete">${csrfField(csrf)}<button class="link" type="submit" aria-label="Delete ${u.userName}">Delete</button></form>`;
}

function pager(v: UsersView): SafeHtml {
  if (v.total <= v.perPage) return html``;
  const page = Math.floor(v.offset / v.perPage) + 1;
  const last = Math.ceil(v.total / v.perPage);
  const link = (n: number, label: string) =>
    html`<a href="/console/users?page=${n}${v.search ? html`&amp;q=${encodeURIComponent(v.search)}` : ''}">${label}</a>`;
  return html`<nav class="row muted" aria-label="Pages" style="margin:.5rem 0">Showing ${v.offset + 1}–${Math.min(v.offset + v.perPage, v.total)} of ${v.total}
  ${page > 1 ? link(page - 1, 'Previous page') : ''} ${page < last ? link(page + 1, 'Next page') : ''}</nav>`;
}

export function usersContent(v: UsersView): SafeHtml {
  const rows = v.users.map(
    (u) => html`<tr data-user-name="${u.userName}">
  <td><strong>${u.name}</strong><div class="muted mono">${u.userName}</div></td>
  <td>${u.email ?? html`<span class="muted">—</span>`}</td>
  <td><span class="badge ${u.status === 'Active' ? 'ok' : 'bad'}">${u.status}</span></td>
  <td>${u.regions.length ? u.regions.join(', ') : html`<span class="muted">—</span>`}</td>
  <td>${u.source}</td>
  ${v.canManage ? html`<td>${actions(u, v.csrfToken)}</td>` : ''}
</tr>`,
  );
  return html`<h1>Users</h1>
<p class="lede">Everyone with access to this account, whether your identity provider created them through SCIM or an admin added them here.</p>
${v.warning ? html`<p class="note warn" role="alert" aria-label="Manual changes warning">${v.warning}</p>` : ''}
${v.notice ? html`<p class="note ok" role="status">${v.notice}</p>` : ''}
<section class="card" aria-labelledby="users-heading">
<div class="row"><h2 id="users-heading" style="margin:0">${v.total} ${v.total === 1 ? 'user' : 'users'}${v.search ? html` starting with “${v.search}”` : ''}</h2>
<span class="spacer"></span>
<form method="get" action="/console/users" role="search" class="row"><label for="user-search" style="margin:0">Search users</label>
<input id="user-search" name="q" type="text" value="${v.search}" placeholder="user name starts with…" style="width:16rem"><button class="secondary" type="submit">Search</button></form></div>
${pager(v)}
<table aria-labelledby="users-heading">
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col">Regions</th><th scope="col">Source</th>${v.canManage ? html`<th scope="col">Actions</th>` : ''}</tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="6" class="muted">No users yet.</td></tr>`}</tbody>
</table>
</section>
${
  v.canManage
    ? html`<section class="card" aria-labelledby="add-user-heading">
<h2 id="add-user-heading">Add a user</h2>
<form method="post" action="/console/users">${csrfField(v.csrfToken)}
<label for="new-user-name">User name</label><input id="new-user-name" name="userName" type="text" required>
<label for="new-name">Full name</label><input id="new-name" name="name" type="text">
<label for="new-email">Email</label><input id="new-email" name="email" type="email">
<p class="row" style="margin-top:1rem"><button type="submit">Add user</button></p>
</form></section>`
    : ''
}`;
}

export function regionsContent(regions: Region[]): SafeHtml {
  const rows = regions.map((r) => html`<tr><td>${r.name}</td><td>${r.members}</td></tr>`);
  return html`<h1>Regions</h1>
<p class="lede">Regions come from your identity provider's groups (SCIM Groups).</p>
<section class="card"><table aria-label="Regions"><thead><tr><th scope="col">Region</th><th scope="col">Members</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="2" class="muted">No regions yet.</td></tr>`}</tbody></table></section>`;
}
