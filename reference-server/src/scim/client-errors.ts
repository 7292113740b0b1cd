import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { ScimError } from '../errors.ts';
import { SCIM_CONTENT_TYPE } from './http.ts';

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers or URL over 16 KiB, an unknown method,
 * malformed framing, a request not received within requestTimeout). Fastify's default writes `{"error":...}`; this
 * writes a SCIM Error (RFC 7644 §3.12) instead, since the raw request cannot always say whether it was a SCIM one
 * and a SCIM error body is plain JSON to any other client.
 */
function errorFor(code: string | undefined): ScimError {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ScimError('requestTimeout', 'the request was not received in time');
    case 'HPE_HEADER_OVERFLOW':
      return new ScimError('headersTooLarge', 'the request line and headers are larger than 16 KiB');
    case 'HPE_INVALID_METHOD':
      return new ScimError('badRequest', 'the HTTP method is not one this server knows');
    default:
      return new ScimError('badRequest', 'the request is not valid HTTP/1.1');
  }
}

export function scimClientErrorHandler(log: FastifyBaseLogger) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    // A reset connection has nobody to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const scimErr = errorFor(err.code);
    log.debug({ code: err.code, status: scimErr.status }, 'client error before routing');
    if (socket.writable) {
      const body = JSON.stringify(scimErr.toBody());
      socket.write(
        `HTTP/1.1 ${scimErr.status} ${STATUS_CODES[scimErr.status]}\r\nContent-Type: ${SCIM_CONTENT_TYPE}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
