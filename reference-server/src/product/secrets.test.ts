import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatePassword, hashPassword, verifyPassword } from './secrets.ts';

describe('password KDF (scrypt, per-password salt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    assert.match(stored, /^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    assert.equal(await verifyPassword('correct horse battery staple', stored), true);
    assert.equal(await verifyPassword('correct horse battery stapl', stored), false);
  });

  it('salts each hash, so equal passwords give different hashes', async () => {
    assert.notEqual(await hashPassword('same'), await hashPassword('same'));
  });

  it('refuses malformed stored values instead of throwing', async () => {
    assert.equal(await verifyPassword('x', 'plain-text'), false);
    assert.equal(await verifyPassword('x', 'scrypt$a$b$c$d$'), false);
  });

  it('generates distinct 20-character passwords', () => {
    const a = generatePassword();
    assert.equal(a.length, 20);
    assert.notEqual(a, generatePassword());
  });
});
