import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CliError } from '../errors.ts';

export interface Waiver {
  id: string;
  reason: string;
}

const waiverFileSchema = z.union([
  z.array(z.union([z.string(), z.object({ id: z.string(), reason: z.string().default('') })])),
  z.object({ waivers: z.array(z.object({ id: z.string(), reason: z.string().default('') })) }),
]);

/**
 * A waivers file lists known failures: JSON (`[{"id","reason"}]`, `{"waivers":[...]}` or `["ID"]`) or text,
 * one `ID  # reason` per line. A waived failure is reported as waived, never as passed.
 */
export function readWaivers(file: string, knownIds: ReadonlySet<string>): Waiver[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the waivers file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  let waivers: Waiver[];
  if (/^\s*[[{]/.test(text)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError(`the waivers file ${file} starts like JSON but is not valid JSON.`);
    }
    const parsed = waiverFileSchema.safeParse(json);
    if (!parsed.success) throw new CliError(`the waivers file ${file} must be a list of {"id","reason"} entries or requirement ids.`);
    const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.waivers;
    waivers = list.map((w) => (typeof w === 'string' ? { id: w, reason: '' } : { id: w.id, reason: w.reason }));
  } else {
    waivers = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const [id = '', ...rest] = line.split('#');
        return { id: id.trim(), reason: rest.join('#').trim() };
      });
  }
  const unknown = waivers.filter((w) => !knownIds.has(w.id)).map((w) => w.id);
  if (unknown.length > 0) throw new CliError(`the waivers file ${file} names unknown requirement ids: ${unknown.join(', ')}.`);
  return waivers;
}
