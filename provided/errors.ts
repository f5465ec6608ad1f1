// Provided: how an exception becomes a response, as Django's
// convert_exception_to_response does around every middleware layer.
import { HttpError, Response } from './http.ts';
import { traceStep } from './trace.ts';

/** An HttpError keeps its status; anything else is logged and becomes a plain 500, never a stack trace. */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) {
    traceStep('error', `HttpError ${error.status}`, error.message);
    return Response.text(error.message, error.status);
  }
  traceStep('error', error instanceof Error ? error.name : 'Error', error instanceof Error ? error.message : String(error));
  console.error(error);
  return Response.text('Internal Server Error', 500);
}
