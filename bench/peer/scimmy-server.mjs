// A third-party SCIM service for certifying the harness against: SCIMMY 1.x with its express routers and a small
// in-memory store written the way a vendor following SCIMMY's README would write it. Not part of the package; it runs
// from the temporary folder `npm run peer` installs SCIMMY into. Prints one JSON ready line: {url, scimUrl, token}.
import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

const token = `peer_${randomBytes(24).toString('base64url')}`;
const store = { User: new Map(), Group: new Map() };
const now = () => new Date().toISOString();

function notFound(id) {
  return new SCIMMY.Types.Error(404, null, `Resource ${id} not found`);
}

/** The stored resource as SCIMMY should see it; a User's groups are derived from the groups' members. */
function out(kind, r) {
  if (kind !== 'User') return r;
  const groups = [...store.Group.values()]
    .filter((g) => (g.members ?? []).some((m) => m.value === r.id))
    .map((g) => ({ value: g.id, display: g.displayName, type: 'direct' }));
  return { ...r, groups };
}

function handlers(kind, unique) {
  return {
    ingress: (resource, instance) => {
      const data = JSON.parse(JSON.stringify(instance));
      delete data.groups;
      const key = String(data[unique] ?? '').toLowerCase();
      for (const other of store[kind].values()) {
        if (other.id !== resource.id && String(other[unique] ?? '').toLowerCase() === key) {
          throw new SCIMMY.Types.Error(409, 'uniqueness', `${unique} ${data[unique]} is already in use`);
        }
      }
      if (resource.id) {
        const current = store[kind].get(resource.id);
        if (!current) throw notFound(resource.id);
        const next = { ...data, id: current.id, meta: { created: current.meta.created, lastModified: now() } };
        store[kind].set(current.id, next);
        return out(kind, next);
      }
      const id = randomUUID();
      const created = now();
      const next = { ...data, id, meta: { created, lastModified: created } };
      store[kind].set(id, next);
      return out(kind, next);
    },
    egress: (resource) => {
      if (resource.id) {
        const r = store[kind].get(resource.id);
        if (!r) throw notFound(resource.id);
        return out(kind, r);
      }
      const all = [...store[kind].values()].map((r) => out(kind, r));
      return resource.filter ? resource.filter.match(all) : all;
    },
    degress: (resource) => {
      if (!store[kind].delete(resource.id)) throw notFound(resource.id);
      if (kind === 'User') {
        for (const g of store.Group.values()) g.members = (g.members ?? []).filter((m) => m.value !== resource.id);
      }
    },
  };
}

for (const [Resource, kind, unique] of [
  [SCIMMY.Resources.User, 'User', 'userName'],
  [SCIMMY.Resources.Group, 'Group', 'displayName'],
]) {
  const h = handlers(kind, unique);
  SCIMMY.Resources.declare(Resource).ingress(h.ingress).egress(h.egress).degress(h.degress);
}
SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false);
SCIMMY.Config.set({ patch: true, filter: true, sort: true, etag: false, bulk: false, changePassword: false });

const app = express();
app.use(
  '/scim/v2',
  new SCIMMYRouters({
    type: 'bearer',
    docUri: 'https://example.test/help/scim-token',
    handler: (request) => {
      if (request.header('Authorization') !== `Bearer ${token}`) throw new Error('Authorization failed');
      return 'scim-client';
    },
  }),
);

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;
  process.stdout.write(`${JSON.stringify({ event: 'ready', url, scimUrl: `${url}/scim/v2`, token })}\n`);
});
