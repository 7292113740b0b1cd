import {
  commonAttributes,
  ENTERPRISE_SCHEMA,
  enterpriseSchema,
  GROUP_SCHEMA,
  groupResourceType,
  groupSchema,
  USER_SCHEMA,
  userResourceType,
  userSchema,
} from '../schema/core.ts';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '../schema/types.ts';

export type ResourceKind = 'User' | 'Group';

/** Everything the routes need to know about one resource type, derived once from the schema data. */
export interface ResourceSpec {
  kind: ResourceKind;
  type: ResourceTypeDefinition;
  core: SchemaDefinition;
  extensions: SchemaDefinition[];
  /** Core plus common attributes, by lower-cased name. */
  attributes: Map<string, AttributeDefinition>;
}

function byLowerName(attrs: AttributeDefinition[]): Map<string, AttributeDefinition> {
  return new Map(attrs.map((a) => [a.name.toLowerCase(), a]));
}

export const USER: ResourceSpec = {
  kind: 'User',
  type: userResourceType,
  core: userSchema,
  extensions: [enterpriseSchema],
  attributes: byLowerName([...commonAttributes, ...userSchema.attributes]),
};

export const GROUP: ResourceSpec = {
  kind: 'Group',
  type: groupResourceType,
  core: groupSchema,
  extensions: [],
  attributes: byLowerName([...commonAttributes, ...groupSchema.attributes]),
};

export const SPECS: Record<ResourceKind, ResourceSpec> = { User: USER, Group: GROUP };

export { ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA };
