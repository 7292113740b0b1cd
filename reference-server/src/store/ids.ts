/**
 * Resource ids as UUIDv7 (RFC 9562 §5.7) with the §6.2 method 1 counter: 48 bits of Unix milliseconds, then a
 * 12-bit counter that increases within a millisecond, then 62 random bits. Ids made later in this process sort
 * after earlier ones as strings, so the default list order `(created, id)` is creation order even when several
 * resources are created in the same millisecond (random v4 ids ordered those at random).
 */
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

export function newResourceId(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = 0;
  } else if (++counter > 0xfff) {
    // 4096 ids in one millisecond: borrow the next one, as §6.2 allows, to stay monotonic.
    lastMs++;
    counter = 0;
  }
  const b = randomBytes(16);
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
