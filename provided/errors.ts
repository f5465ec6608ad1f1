// Provided: how an exception becomes a response, as Django's
// convert_exception_to_response does around every middleware layer.
import { HttpError, Response } from './http.ts';
import { traceStep } from './trace.ts';

/**
 * reverse() found no URL for a name and its values, as Django's NoReverseMatch:
 * no route has the name, a value is missing, or a value is one its converter
 * would not match ("a/b" for a str). A view that reverses what a visitor typed
 * catches it and answers 400; anywhere else it is a bug, and a 500.
 */
export class NoReverseMatch extends Error {
  override name = 'NoReverseMatch';
}

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
