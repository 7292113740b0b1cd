import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from '../errors.ts';

/** Where certify keeps its Ed25519 signing key unless --signing-key names another. */
export const DEFAULT_KEY_FILE = join('.scimulator', 'certify-signing-key.pem');

export interface SigningKey {
  privateKey: KeyObject;
  /** base64 of the DER SubjectPublicKeyInfo: what certificate.json carries. */
  publicKey: string;
}

/** Loads the PEM private key, or generates and stores one (mode 0600) on first use. */
export function loadOrCreateSigningKey(file: string = DEFAULT_KEY_FILE): SigningKey {
  let privateKey: KeyObject;
  if (existsSync(file)) {
    try {
      privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new CliError(`the signing key ${file} is not a readable PEM private key (${(err as Error).message}).`);
    }
    if (privateKey.asymmetricKeyType !== 'ed25519')
      throw new CliError(`the signing key ${file} is ${privateKey.asymmetricKeyType}, but certificates are signed with Ed25519.`);
  } else {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    mkdirSync(dirname(file), { recursive: true });
    // write aside and link into place: two runs starting at once end up with one key, never a torn file
    const aside = `${file}.${process.pid}.tmp`;
    writeFileSync(aside, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(aside, 0o600);
    try {
      linkSync(aside, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    } finally {
      unlinkSync(aside);
    }
  }
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  return { privateKey, publicKey };
}

export function signBytes(key: SigningKey, data: string): string {
  return sign(null, Buffer.from(data, 'utf8'), key.privateKey).toString('base64');
}

export function publicKeyFromBase64(spkiBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
}

/** Reads a public key file: PEM (SPKI), or the base64 DER string certificates carry. */
export function readPublicKeyFile(file: string): KeyObject {
  const text = readFileSync(file, 'utf8').trim();
  try {
    return text.includes('BEGIN') ? createPublicKey(text) : publicKeyFromBase64(text);
  } catch (err) {
    throw new CliError(`${file} holds no readable public key (${(err as Error).message}).`);
  }
}

export function verifyBytes(key: KeyObject, data: string, signatureBase64: string): boolean {
  try {
    return verify(null, Buffer.from(data, 'utf8'), key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/** `SHA256:<hex pairs>` of the DER public key, as vendors publish it. */
export function fingerprint(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(der).digest('hex');
  return `SHA256:${hex.match(/../g)!.join(':')}`;
}
