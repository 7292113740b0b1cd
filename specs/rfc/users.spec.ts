import { expect, given, readOnlyReq, req, test, verify } from '../../fixtures/test.ts';
import type { ScimClient, ScimResponse } from '../../harness/scim-client.ts';
import { URN, type ScimUser } from '../../harness/scim-schemas.ts';
import { expectScimError, expectStatus, explain } from '../checks/scim.ts';

// RFC 7644 §3.3-3.6 and RFC 7643 §4.1: the User resource.

/** The User a POST created, as a precondition of checks that read it: any 2xx with a valid User body. */
function createdUser(scim: ScimClient, res: ScimResponse): Promise<ScimUser> {
  return given(
    `the created User (${res.exchange.request.method} answered ${res.status})`,
    async () => {
      if (res.status < 200 || res.status > 299) throw new Error(explain(res));
      return scim.user(res);
    },
    'RFC-USER-CREATE-201',
  );
}

test(
  'POST /Users answers 201 with the resource, a Location and full meta',
  req('RFC-USER-CREATE-201', 'RFC-USER-CREATE-LOCATION', 'RFC-USER-CREATE-META'),
  async ({ scim, make }) => {
    const body = make.userBody();
    const res = await scim.post('/Users', body);
    make.track('Users', res);
    await verify('RFC-USER-CREATE-201', async () => {
      expectStatus(res, 201);
      const user = await scim.user(res);
      expect(user.userName).toBe(body.userName);
      expect(user.schemas).toContain(URN.user);
    }, [res]);
    // the other two read the created resource (whatever the 2xx status): without one they cannot be judged
    const user = await createdUser(scim, res);
    await verify('RFC-USER-CREATE-META', () => {
      expect(user.meta?.resourceType).toBe('User');
      expect(user.meta?.created, 'meta.created').toBeTruthy();
      expect(user.meta?.lastModified, 'meta.lastModified').toBeTruthy();
      expect(user.meta?.location, 'meta.location').toBeTruthy();
      expect(user.meta!.location!.endsWith(`/Users/${user.id}`), 'meta.location ends with /Users/{id}').toBe(true);
    }, [res]);
    await verify('RFC-USER-CREATE-LOCATION', () => {
      expect(res.headers.location, 'Location header').toBe(user.meta?.location);
    }, [res]);
  },
);

test(
  'the server assigns ids and ignores client-sent id and readOnly attributes',
  req('RFC-USER-CREATE-ID', 'RFC-USER-CREATE-READONLY-IGNORED'),
  async ({ scim, make }) => {
    await verify('RFC-USER-CREATE-ID', async () => {
      const sent = await scim.post('/Users', make.userBody({ id: 'client-chosen-id' } as never));
      make.track('Users', sent);
      const a = await createdUser(scim, sent);
      const b = await make.user();
      expect(a.id, 'the id the client sent is not used').not.toBe('client-chosen-id');
      expect(a.id, 'ids are unique').not.toBe(b.id);
    });
    await verify('RFC-USER-CREATE-READONLY-IGNORED', async () => {
      const res = await scim.post(
        '/Users',
        make.userBody({ meta: { resourceType: 'Group', created: '2001-01-01T00:00:00Z' }, groups: [{ value: 'bogus' }] } as never),
      );
      make.track('Users', res);
      const a = await createdUser(scim, res);
      expect(a.meta?.resourceType).toBe('User');
      expect(a.meta?.created).not.toBe('2001-01-01T00:00:00Z');
      expect((a.groups ?? []).map((g) => g.value)).not.toContain('bogus');
    });
  },
);

test(
  'a duplicate userName, also differing only in case, answers 409 uniqueness',
  req('RFC-USER-CREATE-UNIQUENESS', 'RFC-USER-CREATE-UNIQUENESS-CASE'),
  async ({ scim, make }) => {
    const user = await make.user();
    await verify('RFC-USER-CREATE-UNIQUENESS', async () => {
      const same = await scim.post('/Users', make.userBody({ userName: user.userName! }));
      make.track('Users', same);
      await expectScimError(scim, same, 409, 'uniqueness');
    });
    await verify('RFC-USER-CREATE-UNIQUENESS-CASE', async () => {
      const upper = await scim.post('/Users', make.userBody({ userName: user.userName!.toUpperCase() }));
      make.track('Users', upper);
      await expectScimError(scim, upper, 409, 'uniqueness');
    });
  },
);

test(
  'a User without userName or with a wrongly typed value is refused with invalidValue',
  req('RFC-USER-CREATE-REQUIRED', 'RFC-USER-CREATE-TYPE'),
  async ({ scim, make }) => {
    await verify('RFC-USER-CREATE-REQUIRED', async () => {
      const { userName: _omit, ...noName } = make.userBody();
      const missing = await scim.post('/Users', noName);
      make.track('Users', missing);
      // the MUST is that no User is created; 400 with invalidValue, invalidSyntax or no scimType is how it is refused
      await expectScimError(scim, missing, 400, ['invalidValue', 'invalidSyntax', undefined]);
    });
    await verify('RFC-USER-CREATE-TYPE', async () => {
      const wrongType = await scim.post('/Users', make.userBody({ active: 5 as unknown as boolean }));
      make.track('Users', wrongType);
      await expectScimError(scim, wrongType, 400, ['invalidValue', 'invalidSyntax', undefined]);
    });
  },
);

test('GET /Users/{id} returns the stored User and GET /Users lists Users', req('RFC-USER-GET', 'RFC-USER-LIST'), async ({ scim, make }) => {
  const created = await make.user();
  await verify('RFC-USER-GET', async () => {
    const res = await scim.getUser(created.id);
    expectStatus(res, 200);
    const got = await scim.user(res);
    expect(got.id).toBe(created.id);
    expect(got.userName).toBe(created.userName);
    expect(got.name?.familyName).toBe(created.name?.familyName);
  });
  await verify('RFC-USER-LIST', async () => {
    const { list } = await scim.list('/Users', { count: 5 });
    expect(list.schemas).toContain(URN.list);
    for (const r of list.Resources ?? []) expect((r as { schemas?: string[] }).schemas).toContain(URN.user);
  });
});

test(
  'PUT replaces the User, keeps id and meta, and never creates',
  req('RFC-USER-PUT-REPLACE', 'RFC-USER-PUT-ID-IGNORED', 'RFC-USER-PUT-NOTFOUND'),
  async ({ scim, make }) => {
    const user = await make.user();
    const replacement = make.userBody({ userName: user.userName!, displayName: 'Replaced Name', name: { givenName: 'Replaced', familyName: 'Person' } });
    await verify('RFC-USER-PUT-REPLACE', async () => {
      const res = await scim.put(`/Users/${user.id}`, replacement);
      expectStatus(res, 200);
      const got = await scim.user(res);
      expect(got.displayName).toBe('Replaced Name');
      expect(got.name?.givenName).toBe('Replaced');
      const reread = await scim.user(await scim.getUser(user.id));
      expect(reread.displayName).toBe('Replaced Name');
    });
    await verify('RFC-USER-PUT-ID-IGNORED', async () => {
      const res = await scim.put(`/Users/${user.id}`, { ...replacement, id: 'another-id', meta: { created: '2001-01-01T00:00:00Z' } });
      expectStatus(res, 200);
      const got = await scim.user(res);
      expect(got.id).toBe(user.id);
      expect(got.meta?.created).toBe(user.meta?.created);
    });
    await verify('RFC-USER-PUT-NOTFOUND', async () => {
      const body = make.userBody();
      const missing = await scim.put('/Users/scimulator-no-such-id', body);
      make.track('Users', missing);
      // the MUST is that nothing is created; 404 is the status Table 8 names (SHOULD)
      await expectScimError(scim, missing, [404, 400]);
      const created = await scim.list('/Users', { filter: `userName eq "${body.userName}"` }).catch(() => undefined);
      if (created) expect(created.list.totalResults, 'the PUT created nothing').toBe(0);
    });
  },
);

test("PUT giving a User another User's userName answers 409", req('RFC-USER-PUT-UNIQUENESS'), async ({ scim, make }) => {
  const a = await make.user();
  const b = await make.user();
  await verify('RFC-USER-PUT-UNIQUENESS', async () => {
    const res = await scim.put(`/Users/${b.id}`, make.userBody({ userName: a.userName! }));
    // RFC 7643 §7: a provider MAY reject a uniqueness violation with 400; the refusal is the MUST
    await expectScimError(scim, res, [409, 400]);
    expect((await scim.user(await scim.getUser(b.id))).userName).toBe(b.userName);
  });
});

test('active=false is stored and returned as a boolean', req('RFC-USER-ACTIVE'), async ({ scim, make }) => {
  await verify('RFC-USER-ACTIVE', async () => {
    const res = await scim.post('/Users', make.userBody({ active: false }));
    make.track('Users', res);
    const user = await createdUser(scim, res);
    expect(user.active).toBe(false);
    const got = await scim.user(await scim.getUser(user.id));
    expect(got.active).toBe(false);
  });
});

test('DELETE answers 204, then the User is 404, and a second DELETE is 404', req('RFC-USER-DELETE-204', 'RFC-USER-DELETE-NOTFOUND'), async ({ scim, make }) => {
  const user = await make.user();
  await verify('RFC-USER-DELETE-204', async () => {
    expectStatus(await scim.delete(`/Users/${user.id}`), 204);
    await expectScimError(scim, await scim.getUser(user.id), 404);
  });
  await verify('RFC-USER-DELETE-NOTFOUND', async () => {
    const other = await make.user();
    await given('deleting a User', async () => expectStatus(await scim.delete(`/Users/${other.id}`), 200, 204), 'RFC-USER-DELETE-204');
    await expectScimError(scim, await scim.delete(`/Users/${other.id}`), 404);
  });
});

test("a User's groups follow its memberships and cannot be written", req('RFC-USER-GROUPS-READONLY'), async ({ scim, make }) => {
  const user = await make.user();
  const group = await make.group({ members: [{ value: user.id }] });
  const other = await make.group();
  await verify('RFC-USER-GROUPS-READONLY', async () => {
    const got = await scim.user(await scim.getUser(user.id));
    // groups is returned "default" in RFC 7643 §4.1.2 but a server may leave it out; when present it must be right
    if (got.groups !== undefined && got.groups !== null) expect(got.groups.map((g) => g.value)).toContain(group.id);
    const put = await scim.put(`/Users/${user.id}`, make.userBody({ userName: user.userName!, groups: [{ value: other.id }] } as never));
    expectStatus(put, 200, 400);
    const after = await scim.user(await scim.getUser(user.id));
    expect((after.groups ?? []).map((g) => g.value)).not.toContain(other.id);
    const members = await scim.group(await scim.getGroup(other.id));
    expect(
      (members.members ?? []).map((m) => m.value),
      'writing User.groups does not change a membership',
    ).not.toContain(user.id);
  });
});

test('enterprise extension attributes round-trip under their URN', req('RFC-USER-ENTERPRISE'), async ({ scim, make, capabilities }) => {
  test.skip(!capabilities.enterpriseUser, 'the User resource type does not list the enterprise extension');
  await verify('RFC-USER-ENTERPRISE', async () => {
    const res = await scim.post(
      '/Users',
      make.userBody({ schemas: [URN.user, URN.enterprise], [URN.enterprise]: { employeeNumber: '4711', department: 'Finance' } } as never),
    );
    make.track('Users', res);
    const user = await createdUser(scim, res);
    const got = await scim.user(await scim.getUser(user.id));
    expect(got.schemas).toContain(URN.enterprise);
    expect(got[URN.enterprise]).toMatchObject({ employeeNumber: '4711', department: 'Finance' });
  });
});

test('meta.lastModified advances on change while meta.created stays', req('RFC-USER-LASTMODIFIED'), async ({ scim, make }) => {
  const user = await make.user();
  await new Promise((r) => setTimeout(r, 1_100));
  await verify('RFC-USER-LASTMODIFIED', async () => {
    const res = await scim.put(`/Users/${user.id}`, make.userBody({ userName: user.userName!, displayName: 'Later' }));
    expectStatus(res, 200);
    const got = await scim.user(res);
    expect(got.meta?.created).toBe(user.meta?.created);
    expect(Date.parse(got.meta!.lastModified!), 'lastModified after a change more than a second later').toBeGreaterThan(Date.parse(user.meta!.lastModified!));
  });
});

test('an unknown id shaped like a real one is 404', readOnlyReq('RFC-USER-GET-NOTFOUND'), async ({ scim }) => {
  await verify('RFC-USER-GET-NOTFOUND', async () => {
    await expectScimError(scim, await scim.getUser('00000000-0000-0000-0000-000000000000'), 404);
  });
});
