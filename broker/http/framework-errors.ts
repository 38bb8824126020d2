import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type AdminIdentity, checkBearer } from './auth.ts';
import { errorBody, GraphError } from './graph/errors.ts';

/**
 * Graph's error shape for the refusals fastify and Node's HTTP parser make before any route or
 * hook runs, which would otherwise answer in their own shapes.
 */

/**
 * A request target the router cannot decode (malformed percent-encoding) or a path parameter past
 * its length limit. The token is still checked first: without it the answer is 401, as for any path.
 */
export function frameworkErrors(admin: AdminIdentity, dateIso: () => string) {
  return (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    let refusal: GraphError;
    try {
      checkBearer(req.headers.authorization, admin);
      refusal = GraphError.badRequest(`The request target is not valid: ${error.message}`);
    } catch (e) {
      refusal = e as GraphError;
    }
    return reply
      .code(refusal.status)
      .send(errorBody(refusal, dateIso(), req.headers['client-request-id'] as string | undefined));
  };
}

/** Node's HTTP parser refused the bytes (headers too large, malformed request line, timeout). */
export function clientErrorHandler(dateIso: () => string) {
  return (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // A response already begun on this connection cannot be followed by another (as Node's own).
    const answered = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
      ?.headersSent;
    if (answered) {
      socket.destroy(error);
      return;
    }
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'RequestHeaderFieldsTooLarge', 'The request line and headers are too large.']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'RequestTimeout', 'The request did not arrive in time.']
          : [400, 'BadRequest', 'The request is not valid HTTP.'];
    const body = JSON.stringify(errorBody(new GraphError(status, code, message), dateIso()));
    if (socket.writable)
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
      );
    socket.destroy(error);
  };
}
