/**
 * The delta aggregation's time bound as the SailPoint connector writes it: in the "Server Time Zone" (default UTC:
 * "If any time zone type is not provided the default value will be UTC") and the "Server Timestamp Format", a Java
 * date pattern ("It is the date and time format supported by the SCIM server"). SailPoint: Aggregation Settings
 * (ISC SCIM 2.0) <https://documentation.sailpoint.com/connectors/scim_2_0/help/integrating_scim2/aggregation_settings.html>.
 */

/** The pattern that writes what `Date.toISOString()` writes for UTC. */
export const ISO_MILLIS = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

/** Zone abbreviations the connector's examples use ("GMT or PST"), as the IANA zones Java maps them to. */
const ABBREVIATIONS: Record<string, string> = {
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  MST: 'America/Denver',
  CST: 'America/Chicago',
  EST: 'America/New_York',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
};

const FIXED = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Minutes east of UTC of `zone` at the instant `ms`; throws a RangeError for a zone nobody knows. */
export function offsetMinutes(zone: string, ms: number): number {
  const z = zone.trim();
  if (/^(UTC|GMT|Z)$/i.test(z)) return 0;
  const fixed = FIXED.exec(z);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0));
  const iana = ABBREVIATIONS[z.toUpperCase()] ?? z;
  const name = new Intl.DateTimeFormat('en-US', { timeZone: iana, timeZoneName: 'longOffset' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name ?? '');
  if (!m) throw new RangeError(`unknown time zone '${zone}'`);
  return m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

export function isKnownZone(zone: string): boolean {
  try {
    offsetMinutes(zone, Date.now());
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function offsetText(minutes: number, colon: boolean, zulu: boolean): string {
  if (minutes === 0 && zulu) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

/**
 * Writes `ms` in `zone` with a Java-style pattern: yyyy (or YYYY), MM, dd, HH, kk (hour 1-24), mm, ss, SSS, XXX
 * (Z or +hh:mm), XX (Z or +hhmm), Z (+hhmm), and 'quoted' literals; any other character is copied.
 */
export function formatTimestamp(ms: number, pattern: string, zone: string): string {
  const offset = offsetMinutes(zone, ms);
  const local = new Date(ms + offset * 60_000);
  const fields: Record<string, () => string> = {
    yyyy: () => pad(local.getUTCFullYear(), 4),
    YYYY: () => pad(local.getUTCFullYear(), 4),
    MM: () => pad(local.getUTCMonth() + 1),
    dd: () => pad(local.getUTCDate()),
    HH: () => pad(local.getUTCHours()),
    kk: () => pad(local.getUTCHours() === 0 ? 24 : local.getUTCHours()),
    mm: () => pad(local.getUTCMinutes()),
    ss: () => pad(local.getUTCSeconds()),
    SSS: () => pad(local.getUTCMilliseconds(), 3),
    XXX: () => offsetText(offset, true, true),
    XX: () => offsetText(offset, false, true),
    Z: () => offsetText(offset, false, false),
  };
  const tokens = Object.keys(fields).sort((a, b) => b.length - a.length);
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    if (pattern[i] === "'") {
      const end = pattern.indexOf("'", i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      out += literal === '' ? "'" : literal;
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    const token = tokens.find((t) => pattern.startsWith(t, i));
    if (token) {
      out += fields[token]!();
      i += token.length;
    } else {
      out += pattern[i];
      i++;
    }
  }
  return out;
}
