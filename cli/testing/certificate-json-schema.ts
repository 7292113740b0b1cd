import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The shipped schemas/certificate.schema.json, compiled once (ajv, draft 2020-12). */
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(`${ROOT}schemas/certificate.schema.json`, 'utf8')) as object);

/** What the shipped JSON Schema finds wrong with a certificate: empty when it validates. */
export function certificateSchemaErrors(json: unknown): string[] {
  if (validate(json)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim());
}

/** Reads a certificate file a run wrote and returns the schema's complaints about it. */
export function certificateFileSchemaErrors(file: string): string[] {
  return certificateSchemaErrors(JSON.parse(readFileSync(file, 'utf8')));
}
