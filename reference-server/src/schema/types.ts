/** RFC 7643 §7 attribute definitions: the characteristics here drive validation, PATCH, filtering and projection. */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
}

export interface ResourceTypeDefinition {
  id: string;
  name: string;
  endpoint: string;
  description: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
}

type Opts = Partial<Omit<AttributeDefinition, 'name' | 'type'>>;

/** Builds a definition with RFC 7643 §2.2 defaults, so the tables below only state what differs. */
export function attr(name: string, type: AttributeType, opts: Opts = {}): AttributeDefinition {
  const def: AttributeDefinition = {
    name,
    type,
    multiValued: false,
    description: '',
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...opts,
  };
  if (type === 'reference' && !def.referenceTypes) def.referenceTypes = ['external'];
  return def;
}

export const str = (name: string, opts: Opts = {}) => attr(name, 'string', opts);
export const complex = (name: string, subAttributes: AttributeDefinition[], opts: Opts = {}) => attr(name, 'complex', { subAttributes, ...opts });
