// What undici's errors mean for a learner: each stable error code (and, for a
// response llhttp cannot parse, its reason) becomes a failure kind, one
// sentence on what happened, and a hint at the likely cause; and the hint for
// each kind of failure of a raw request.
import type { FailureKind } from './failure.ts';
import { responseTooLarge } from './limits.ts';

export interface ClientErrorReport {
  kind: FailureKind;
  problem: string;
  hint?: string;
}

const hints = {
  unfinished: 'Does every path through your code end the response? A Content-Length larger than the body also makes a client wait.',
  crash: "Read your server's output below: it usually ends with the error that stopped it.",
  closed: 'Write the whole response (the head, the empty line, then exactly Content-Length bytes of body) before you close or destroy the socket.',
  length: 'Count Content-Length in bytes (Buffer.byteLength, not string length), send it once, and never together with Transfer-Encoding.',
} as const;

/** The usual next step for a kind of failure, when nothing more precise is known (raw requests). */
export function hintFor(kind: FailureKind): string | undefined {
  switch (kind) {
    case 'timeout':
      return hints.unfinished;
    case 'crash':
      return hints.crash;
    case 'connection':
      return hints.closed;
    default:
      return undefined;
  }
}

/** The failure for an error undici threw (or our own deadline, TimeoutError with code ROUNDTRIP_TIMEOUT). */
export function describeClientError(error: unknown, serverAlive: boolean): ClientErrorReport {
  const { code: rawCode, name = '', message = String(error) } = (error ?? {}) as { code?: unknown; name?: string; message?: string };
  // A DOMException's code is a number: only string codes are undici's or Node's.
  const code = typeof rawCode === 'string' ? rawCode : name === 'AbortError' ? 'UND_ERR_ABORTED' : '';
  if (!serverAlive) return { kind: 'crash', problem: 'Your server stopped before it answered.', hint: hints.crash };
  if (name === 'HTTPParserError' || code.startsWith('HPE_')) return describeParserError(code, message);
  switch (code) {
    case 'ROUNDTRIP_TOO_LARGE':
      return { kind: 'mismatch', ...responseTooLarge };
    case 'ROUNDTRIP_TIMEOUT':
    case 'UND_ERR_ABORTED':
      return { kind: 'timeout', problem: 'No complete response arrived within the time limit.', hint: hints.unfinished };
    case 'UND_ERR_HEADERS_TIMEOUT':
      return { kind: 'timeout', problem: 'No response head (status line, headers, empty line) arrived within the time limit.', hint: hints.unfinished };
    case 'UND_ERR_BODY_TIMEOUT':
      return { kind: 'timeout', problem: 'The head arrived, but the body stopped before it was complete.', hint: hints.unfinished };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { kind: 'mismatch', problem: 'The body does not match the Content-Length header (or Content-Length came twice, or with Transfer-Encoding).', hint: hints.length };
    case 'UND_ERR_HEADERS_OVERFLOW':
      return { kind: 'mismatch', problem: 'The response head is larger than a client accepts.', hint: 'Keep the head small: a few headers, each on its own line.' };
    case 'UND_ERR_SOCKET':
      return bytesRead(error) === 0
        ? { kind: 'connection', problem: 'Your server closed the connection without sending anything.', hint: hints.closed }
        : { kind: 'connection', problem: 'The connection was closed before a complete response arrived.', hint: hints.closed };
    case 'ECONNREFUSED':
      return { kind: 'connection', problem: 'The connection was refused: nothing is listening any more.', hint: hints.crash };
    case 'ECONNRESET':
      return { kind: 'connection', problem: 'Your server reset the connection instead of answering.', hint: hints.closed };
    default:
      return { kind: 'mismatch', problem: `A real HTTP client could not read the response: ${message}` };
  }
}

/** How many bytes undici had read when the socket closed (SocketError carries the socket's counters). */
function bytesRead(error: unknown): number | undefined {
  return (error as { socket?: { bytesRead?: number } }).socket?.bytesRead;
}

/**
 * llhttp's verdicts. undici 7 sets HTTPParserError's code to `HPE_<name>` only
 * when it can name the error (7.30 looks the number up in a table keyed by
 * name, so the code is missing); the reason in the message is llhttp's own
 * fixed text, so it names the error when the code does not.
 */
const parserErrors: { code: string; reasons: RegExp; problem: string; hint: string }[] = [
  {
    code: 'HPE_CR_EXPECTED',
    reasons: /expected CR/i,
    problem: 'A line of the head ends with a bare \\n: every line of an HTTP head ends with \\r\\n.',
    hint: 'End the status line and every header line with "\\r\\n", and the head with an empty line ("\\r\\n").',
  },
  {
    code: 'HPE_LF_EXPECTED',
    reasons: /expected LF/i,
    problem: 'A \\r in the head is not followed by \\n: every line of an HTTP head ends with \\r\\n.',
    hint: 'End the status line and every header line with "\\r\\n", and the head with an empty line ("\\r\\n").',
  },
  {
    code: 'HPE_INVALID_CONSTANT',
    reasons: /Expected HTTP\//,
    problem: 'The response does not start with "HTTP/1.1".',
    hint: 'The first bytes of a response are its status line: "HTTP/1.1 200 OK\\r\\n".',
  },
  {
    code: 'HPE_INVALID_VERSION',
    reasons: /version|Expected dot/i,
    problem: 'The status line does not carry a valid HTTP version.',
    hint: 'Start the status line with "HTTP/1.1", then a space.',
  },
  {
    code: 'HPE_INVALID_STATUS',
    reasons: /status/i,
    problem: 'The status line is not "HTTP/1.1", a space, a three-digit code, a space and a reason phrase.',
    hint: 'Write the status line as `HTTP/1.1 ${code} ${reason}\\r\\n`, for example "HTTP/1.1 404 Not Found\\r\\n".',
  },
  {
    code: 'HPE_INVALID_HEADER_TOKEN',
    reasons: /header (token|field char)/i,
    problem: 'A header line is not "Name: value": its name has a character a header name cannot have (a space, say).',
    hint: 'Write each header as "Name: value\\r\\n": a name of letters, digits and hyphens, directly followed by the colon.',
  },
  {
    code: 'HPE_UNEXPECTED_CONTENT_LENGTH',
    reasons: /Duplicate Content-Length|Content-Length can't be present/i,
    problem: 'Content-Length comes twice, or together with Transfer-Encoding.',
    hint: hints.length,
  },
  {
    code: 'HPE_INVALID_CONTENT_LENGTH',
    reasons: /Content-Length/i,
    problem: 'The Content-Length header is not a number of bytes.',
    hint: 'Content-Length is digits only: the body\'s length in bytes, e.g. "Content-Length: 12".',
  },
  {
    code: 'HPE_INVALID_CHUNK_SIZE',
    reasons: /chunk/i,
    problem: 'The chunked body is not framed as chunks: a size in hexadecimal, \\r\\n, the data, \\r\\n, and a last chunk "0\\r\\n\\r\\n".',
    hint: 'Without Transfer-Encoding: chunked, send a Content-Length instead and write the body as it is.',
  },
  {
    code: 'HPE_INVALID_TRANSFER_ENCODING',
    reasons: /Transfer-Encoding/i,
    problem: 'The Transfer-Encoding header is not one a client can read.',
    hint: 'Leave Transfer-Encoding out and send a Content-Length.',
  },
];

function describeParserError(code: string, message: string): ClientErrorReport {
  const reason = /\((.*)\)\s*$/.exec(message)?.[1] ?? message;
  const known = parserErrors.find((e) => e.code === code) ?? parserErrors.find((e) => !code.startsWith('HPE_') && e.reasons.test(reason));
  return known
    ? { kind: 'mismatch', problem: `A real HTTP client could not read the response (${reason}). ${known.problem}`, hint: known.hint }
    : { kind: 'mismatch', problem: `A real HTTP client could not read the response: it does not follow HTTP/1.1 (${reason}).` };
}
