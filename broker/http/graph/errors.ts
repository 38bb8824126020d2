import { randomUUID } from 'node:crypto';

/**
 * Graph's error body: {"error": {"code", "message", "innerError": {"date", "request-id",
 * "client-request-id"}}}. Every failure the HTTP API returns has this shape.
 */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }

  static badRequest(message: string): GraphError {
    return new GraphError(400, 'BadRequest', message);
  }
  static notFound(message: string): GraphError {
    return new GraphError(404, 'ResourceNotFound', message);
  }
  static unauthorized(message: string): GraphError {
    return new GraphError(401, 'InvalidAuthenticationToken', message);
  }
  static methodNotAllowed(method: string, path: string): GraphError {
    return new GraphError(
      405,
      'Request_BadRequest',
      `The HTTP method '${method}' is not allowed for the resource '${path}'.`,
    );
  }
}

/** The body for an error; `dateIso` is the service's (sim) time, `clientRequestId` echoes the caller's. */
export function errorBody(error: GraphError, dateIso: string, clientRequestId?: string): GraphErrorBody {
  const requestId = randomUUID();
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        date: dateIso.replace(/\.\d{3}Z$/, ''),
        'request-id': requestId,
        'client-request-id': clientRequestId ?? requestId,
      },
    },
  };
}
