import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ScimError } from '../errors.ts';
import { resourceTypes, schemas } from '../schema/core.ts';
import type { ResourceTypeDefinition, SchemaDefinition } from '../schema/types.ts';
import type { ScimDeps } from './deps.ts';
import { queryParam } from './http.ts';
import { listResponse } from './list.ts';

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** What this server can do right now; /ServiceProviderConfig reports exactly this. */
export interface Capabilities {
  patch: boolean;
  filter: boolean;
  sort: boolean;
  etag: boolean;
  changePassword: boolean;
}

export const CAPABILITIES: Capabilities = { patch: true, filter: true, sort: true, etag: true, changePassword: true };

/** RFC 7644 §4: a filter on a discovery endpoint SHOULD be refused with 403 so clients do not trust it. */
function refuseFilter(request: FastifyRequest): void {
  if (queryParam(request, 'filter') !== undefined) throw new ScimError('forbidden', 'discovery endpoints do not support filtering');
}

function resourceTypeBody(base: string, rt: ResourceTypeDefinition) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: rt.id,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema,
    schemaExtensions: rt.schemaExtensions,
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${rt.id}` },
  };
}

function schemaBody(base: string, schema: SchemaDefinition) {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  };
}

export function discoveryRoutes(scope: FastifyInstance, deps: ScimDeps, capabilities: Capabilities): void {
  scope.get('/ServiceProviderConfig', async (request) => {
    refuseFilter(request);
    const base = request.scim!.base;
    return {
      schemas: [SPC_SCHEMA],
      documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
      patch: { supported: capabilities.patch },
      bulk: deps.capabilities.bulk,
      filter: { supported: capabilities.filter, maxResults: deps.options.maxResults },
      changePassword: { supported: capabilities.changePassword },
      sort: { supported: capabilities.sort },
      etag: { supported: capabilities.etag },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'Bearer token',
          description: "The account's SCIM token, sent as 'Authorization: Bearer <token>'",
          specUri: 'https://datatracker.ietf.org/doc/html/rfc6750',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
    };
  });

  scope.get('/ResourceTypes', async (request) => {
    refuseFilter(request);
    const base = request.scim!.base;
    return listResponse(
      resourceTypes.length,
      1,
      resourceTypes.map((rt) => resourceTypeBody(base, rt)),
    );
  });

  scope.get<{ Params: { name: string } }>('/ResourceTypes/:name', async (request) => {
    const rt = resourceTypes.find((r) => r.id.toLowerCase() === request.params.name.toLowerCase());
    if (!rt) throw new ScimError('notFound', `no resource type ${request.params.name}`);
    return resourceTypeBody(request.scim!.base, rt);
  });

  scope.get('/Schemas', async (request) => {
    refuseFilter(request);
    const base = request.scim!.base;
    return listResponse(
      schemas.length,
      1,
      schemas.map((s) => schemaBody(base, s)),
    );
  });

  scope.get<{ Params: { urn: string } }>('/Schemas/:urn', async (request) => {
    const schema = schemas.find((s) => s.id.toLowerCase() === request.params.urn.toLowerCase());
    if (!schema) throw new ScimError('notFound', `no schema ${request.params.urn}`);
    return schemaBody(request.scim!.base, schema);
  });
}
