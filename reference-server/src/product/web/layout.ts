import { createHash } from 'node:crypto';
import { html, SafeHtml } from './html.ts';

const STYLE = `
:root { --ink:#1d2433; --muted:#5b6478; --line:#e3e7ef; --bg:#f6f8fb; --card:#fff; --brand:#3b5bdb; --brand-ink:#fff;
  --ok:#2b8a3e; --ok-bg:#ebfbee; --warn:#a15c07; --warn-bg:#fff4e0; --bad:#c92a2a; --bad-bg:#fff0f0; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
a { color: var(--brand); }
header.top { display:flex; align-items:center; gap:1rem; padding:.75rem 1.5rem; background:#fff; border-bottom:1px solid var(--line); }
header.top .brand { font-weight:700; font-size:1.05rem; }
header.top .account { color:var(--muted); }
header.top .me { margin-left:auto; display:flex; align-items:center; gap:.75rem; color:var(--muted); font-size:.9rem; }
.shell { display:grid; grid-template-columns: 220px 1fr; min-height: calc(100vh - 56px); }
nav.side { padding:1.25rem 1rem; border-right:1px solid var(--line); background:#fbfcfe; }
nav.side h2 { font-size:.75rem; letter-spacing:.08em; text-transform:uppercase; color:var(--muted); margin:.25rem .5rem .5rem; }
nav.side a { display:block; padding:.45rem .6rem; border-radius:6px; color:var(--ink); text-decoration:none; }
nav.side a[aria-current="page"] { background:#e8edff; color:var(--brand); font-weight:600; }
main { padding:1.75rem 2rem; max-width: 1100px; }
h1 { font-size:1.5rem; margin:0 0 .25rem; }
.lede { color:var(--muted); margin:0 0 1.5rem; }
section.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:1.25rem 1.5rem; margin-bottom:1.25rem; }
section.card > h2 { font-size:1.1rem; margin:0 0 .5rem; display:flex; align-items:center; gap:.6rem; }
.row { display:flex; align-items:center; gap:.75rem; flex-wrap:wrap; }
.spacer { margin-left:auto; }
label { display:block; font-weight:600; font-size:.9rem; margin:.75rem 0 .25rem; }
input[type=text], input[type=email], input[type=password], input[type=url], select {
  width:100%; max-width:460px; padding:.5rem .6rem; border:1px solid #cfd6e4; border-radius:6px; font:inherit; background:#fff; }
input[readonly] { background:#f3f5f9; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:.85rem; }
button, .button { display:inline-flex; align-items:center; gap:.35rem; padding:.5rem .95rem; border-radius:6px; border:1px solid var(--brand);
  background:var(--brand); color:var(--brand-ink); font:inherit; font-weight:600; cursor:pointer; text-decoration:none; }
button.secondary, .button.secondary { background:#fff; color:var(--ink); border-color:#cfd6e4; }
button.danger { background:var(--bad); border-color:var(--bad); }
button.link { background:none; border:none; color:var(--brand); padding:0; font-weight:500; }
button:disabled { opacity:.5; cursor:not-allowed; }
.badge { display:inline-block; padding:.1rem .55rem; border-radius:999px; font-size:.78rem; font-weight:600; background:#eef1f6; color:var(--muted); }
.badge.ok { background:var(--ok-bg); color:var(--ok); } .badge.warn { background:var(--warn-bg); color:var(--warn); } .badge.bad { background:var(--bad-bg); color:var(--bad); }
.note { padding:.7rem .9rem; border-radius:8px; background:#f1f4fa; color:var(--muted); margin:.75rem 0; }
.note.warn { background:var(--warn-bg); color:var(--warn); border:1px solid #f3d19e; }
.note.bad { background:var(--bad-bg); color:var(--bad); border:1px solid #f5c2c2; }
.note.ok { background:var(--ok-bg); color:var(--ok); border:1px solid #b2e2bd; }
table { width:100%; border-collapse:collapse; background:#fff; }
th, td { text-align:left; padding:.55rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; font-size:.92rem; }
th { font-size:.78rem; text-transform:uppercase; letter-spacing:.05em; color:var(--muted); }
td form { display:inline; }
.muted { color:var(--muted); }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:.85rem; }
.menu-button { background:#fff; color:var(--ink); border-color:#cfd6e4; padding:.35rem .7rem; font-size:1.1rem; line-height:1; }
[popover].menu { margin:0; padding:.35rem; border:1px solid var(--line); border-radius:8px; box-shadow:0 8px 24px rgba(20,30,60,.15); min-width:160px; inset:auto; position-area: bottom span-left; }
[popover].menu a, [popover].menu button { display:block; width:100%; text-align:left; padding:.45rem .7rem; border-radius:6px; color:var(--bad); background:none; border:none; text-decoration:none; font-weight:500; }
[popover].menu a:hover { background:var(--bad-bg); }
.backdrop { position:fixed; inset:0; background:rgba(20,30,60,.35); display:flex; align-items:center; justify-content:center; }
.dialog { background:#fff; border-radius:12px; padding:1.5rem 1.75rem; width:min(520px, 92vw); box-shadow:0 20px 50px rgba(20,30,60,.25); }
.dialog h2 { margin-top:0; }
.secret-field { display:flex; gap:.5rem; align-items:center; max-width:720px; }
.secret-field input { max-width:none; flex:1; }
.center { max-width:420px; margin:8vh auto; }
`;

const COPY_SCRIPT = `
document.addEventListener('click', (e) => {
  const b = e.target.closest('[data-copy]');
  if (!b) return;
  const field = document.getElementById(b.dataset.copy);
  navigator.clipboard?.writeText(field.value).then(() => { b.textContent = 'Copied'; setTimeout(() => { b.textContent = b.dataset.label; }, 1500); });
});`;

/** The console's one inline script, allowed by hash in the Content-Security-Policy (product/web/headers.ts). */
export const INLINE_SCRIPT_HASH = `'sha256-${createHash('sha256').update(COPY_SCRIPT).digest('base64')}'`;

export function page(title: string, body: SafeHtml, opts: { productName: string; script?: boolean }): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · ${opts.productName}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
${body}
${opts.script ? html`<script>${new SafeHtml(COPY_SCRIPT)}</script>` : ''}
</body>
</html>`;
}

export const NAV = [
  { href: '/console/users', label: 'Users' },
  { href: '/console/regions', label: 'Regions' },
  { href: '/console/security', label: 'Security' },
  { href: '/console/outbox', label: 'Email outbox' },
  { href: '/console/audit', label: 'Audit log' },
  { href: '/console/admins', label: 'Admins & API keys' },
] as const;

export interface ConsoleFrame {
  productName: string;
  accountName: string;
  adminEmail: string;
  role: string;
  csrfToken: string;
  current: string;
}

/** The console chrome: top bar with who is signed in, the Manage navigation, and the page's own content. */
export function consolePage(title: string, frame: ConsoleFrame, content: SafeHtml, opts: { script?: boolean } = {}): SafeHtml {
  const nav = NAV.map((n) => html`<a href="${n.href}" ${n.href === frame.current ? html`aria-current="page"` : ''}>${n.label}</a>`);
  const body = html`<header class="top">
  <span class="brand">${frame.productName}</span><span class="account">${frame.accountName}</span>
  <div class="me"><span>${frame.adminEmail} · ${frame.role}</span>
    <form method="post" action="/console/signout"><input type="hidden" name="_csrf" value="${frame.csrfToken}"><button class="secondary" type="submit">Sign out</button></form>
  </div>
</header>
<div class="shell">
  <nav class="side" aria-label="Manage"><h2>Manage</h2>${nav}</nav>
  <main>${content}</main>
</div>`;
  return page(title, body, { productName: frame.productName, script: opts.script ?? false });
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
