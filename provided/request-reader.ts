// A small, working HTTP/1.1 request reader for the lessons that need one but
// are about something else. It reads one request from a socket: the request
// line, the header fields and a body framed by Content-Length. Lesson 02 builds
// a reader like this one step by step.
import type { Socket } from 'node:net';

export interface IncomingRequest {
  method: string;
  /** The request target as sent, e.g. "/search?q=caf%C3%A9". */
  target: string;
  /** "HTTP/1.1" */
  version: string;
  /** Field names in lower case; a repeated field's values are joined with ", ". */
  headers: Map<string, string>;
  body: Buffer;
}

/** The request is malformed or too large; `status` is the answer it deserves. */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 413 | 431 | 501,
    message: string,
  ) {
    super(message);
  }
}

export interface ReaderLimits {
  /** Request line plus header fields, in bytes. */
  maxHeadBytes?: number;
  maxBodyBytes?: number;
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const requestLine = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/\d\.\d)$/;
const headEnd = Buffer.from('\r\n\r\n');

/**
 * Reads one request from the socket. Rejects with a RequestError when the
 * request is malformed, and with a plain Error when the connection ends first.
 *
 * @example
 * const request = await readRequest(socket);
 * request.method;                // "GET"
 * request.headers.get('host');   // "localhost:3000"
 */
export function readRequest(socket: Socket, limits: ReaderLimits = {}): Promise<IncomingRequest> {
  const { maxHeadBytes = 16 * 1024, maxBodyBytes = 1024 * 1024 } = limits;
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    let head: Omit<IncomingRequest, 'body'> | undefined;
    let bodyStart = 0;
    let bodyLength = 0;

    const finish = (outcome: () => void) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      outcome();
    };
    const onEnd = () => finish(() => reject(new Error('The client closed the connection before the request was complete.')));
    const onError = (error: Error) => finish(() => reject(error));

    function onData(chunk: Buffer) {
      buffered = Buffer.concat([buffered, chunk]);
      try {
        if (!head) {
          const end = buffered.indexOf(headEnd);
          if (end === -1) {
            if (buffered.length > maxHeadBytes) throw new RequestError(431, 'Request header fields too large.');
            return;
          }
          if (end > maxHeadBytes) throw new RequestError(431, 'Request header fields too large.');
          head = parseHead(buffered.subarray(0, end).toString('latin1'));
          bodyStart = end + headEnd.length;
          bodyLength = contentLength(head.headers);
          if (bodyLength > maxBodyBytes) throw new RequestError(413, 'Request body too large.');
        }
        if (buffered.length - bodyStart < bodyLength) return;
        const body = Buffer.from(buffered.subarray(bodyStart, bodyStart + bodyLength));
        const request = { ...head, body };
        finish(() => resolve(request));
      } catch (error) {
        finish(() => reject(error));
      }
    }

    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onError);
  });
}

function parseHead(text: string): Omit<IncomingRequest, 'body'> {
  const [line = '', ...fieldLines] = text.split('\r\n');
  const parts = line.match(requestLine);
  if (!parts) throw new RequestError(400, 'Malformed request line.');
  const [, method = '', target = '', version = ''] = parts;
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') throw new RequestError(400, 'Unsupported HTTP version.');

  const headers = new Map<string, string>();
  for (const fieldLine of fieldLines) {
    const colon = fieldLine.indexOf(':');
    const name = fieldLine.slice(0, colon);
    // No whitespace before the colon (RFC 9112, section 5.1), no obsolete line folding.
    if (colon <= 0 || !token.test(name)) throw new RequestError(400, 'Malformed header field.');
    const value = fieldLine.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (/[\0\r\n]/.test(value)) throw new RequestError(400, 'Invalid character in a header field.');
    const key = name.toLowerCase();
    const previous = headers.get(key);
    headers.set(key, previous === undefined ? value : `${previous}, ${value}`);
  }
  if (version === 'HTTP/1.1' && !headers.has('host')) throw new RequestError(400, 'Missing Host header.');
  return { method, target, version, headers };
}

function contentLength(headers: Map<string, string>): number {
  if (headers.has('transfer-encoding')) throw new RequestError(501, 'Transfer-Encoding is not supported by this reader.');
  const field = headers.get('content-length');
  if (field === undefined) return 0;
  // "5, 5" (the same length sent twice) is allowed; differing values are not (RFC 9112, section 6.3).
  const values = new Set(field.split(',').map((v) => v.trim()));
  const [value = ''] = values;
  if (values.size !== 1 || !/^\d+$/.test(value)) throw new RequestError(400, 'Invalid Content-Length.');
  return Number(value);
}
