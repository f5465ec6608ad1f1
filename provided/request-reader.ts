// A small, working HTTP/1.1 request reader for the lessons that need one but
// are about something else. It reads one request from a socket: the request
// line, the header fields and a body framed by Content-Length. Lesson 02 builds
// a parser like this one step by step, and this reader follows its rules:
// a head of at most 8 KB (its final empty line included), HTTP/1.0 and 1.1
// only, one Host line, no Content-Length given twice or together with
// Transfer-Encoding; a request target that is a path or a URL, and a Host
// that names a host (RFC 9112, section 3.2). It adds what a server on the
// open network also needs: a body limit (413) and time limits (408), so no
// client can hold it forever.
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

/** The request is malformed, too large or too slow; `status` is the answer it deserves. */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 408 | 413 | 431 | 501,
    message: string,
  ) {
    super(message);
  }
}

export interface ReaderLimits {
  /** Request line plus header fields plus the final empty line, in bytes. 8192 by default. */
  maxHeadBytes?: number;
  /** 1 MiB by default. */
  maxBodyBytes?: number;
  /**
   * How long the whole head may take to arrive, from the moment the reader starts.
   * 10 s by default, or ROUNDTRIP_HEAD_TIMEOUT_MS from the environment.
   */
  headTimeoutMs?: number;
  /**
   * How long the body may take to arrive once the head has.
   * 10 s by default, or ROUNDTRIP_BODY_TIMEOUT_MS from the environment.
   */
  bodyTimeoutMs?: number;
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const requestLine = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/\d\.\d)$/;
const headEnd = Buffer.from('\r\n\r\n');
const hostField = /^[A-Za-z0-9\-._~!$&'()*+,;=%:@[\]]*$/;

/**
 * Whether a Host value holds only what a Host may (RFC 9110, section 7.2: a name or [an IPv6 address],
 * ":" and a port): no space, "/", "?", "#" or "\\". Which names are allowed, and "@" or a port that is
 * not digits, are the allowed-hosts check's business (lesson 07). The Node kit (http-app.ts) asks it too.
 */
export function namesAHost(value: string): boolean {
  return hostField.test(value);
}
const fromEnv = (name: string, fallback: number) => Number(process.env[name]) || fallback;

/**
 * Reads one request from the socket. Rejects with a RequestError when the
 * request is malformed, too large or does not arrive in time, and with a plain
 * Error when the connection ends first or the client sends nothing at all
 * before the head's time limit (then there is nobody to answer: close it).
 *
 * @example
 * const request = await readRequest(socket);
 * request.method;                // "GET"
 * request.headers.get('host');   // "localhost:3000"
 */
export function readRequest(socket: Socket, limits: ReaderLimits = {}): Promise<IncomingRequest> {
  const {
    maxHeadBytes = 8 * 1024,
    maxBodyBytes = 1024 * 1024,
    headTimeoutMs = fromEnv('ROUNDTRIP_HEAD_TIMEOUT_MS', 10_000),
    bodyTimeoutMs = fromEnv('ROUNDTRIP_BODY_TIMEOUT_MS', 10_000),
  } = limits;
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    let head: Omit<IncomingRequest, 'body'> | undefined;
    // Once the head is read, the body's chunks are collected and joined once, at the end.
    const bodyChunks: Buffer[] = [];
    let bodyReceived = 0;
    let bodyLength = 0;
    let timer = setTimeout(() => {
      // A client that sent nothing gets no answer (browsers open spare connections); one
      // that started a request and stalled, or dribbles it out byte by byte, gets a 408.
      if (buffered.length === 0) finish(() => reject(new Error('The client sent nothing in time.')));
      else finish(() => reject(new RequestError(408, 'The request head did not arrive in time.')));
    }, headTimeoutMs);

    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      outcome();
    };
    const onEnd = () => finish(() => reject(new Error('The client closed the connection before the request was complete.')));
    const onError = (error: Error) => finish(() => reject(error));

    function onData(chunk: Buffer) {
      try {
        if (!head) {
          buffered = Buffer.concat([buffered, chunk]);
          const end = buffered.indexOf(headEnd);
          // The limit counts the whole head, its final empty line included, and holds
          // before the empty line arrives: a head that never ends is refused too.
          const headSize = end === -1 ? buffered.length : end + headEnd.length;
          if (headSize > maxHeadBytes) throw new RequestError(431, 'Request header fields too large.');
          // A line must end in CR LF: a bare LF is refused at once, not waited on until the time limit.
          if (hasBareLf(end === -1 ? buffered : buffered.subarray(0, end))) throw new RequestError(400, 'A line ends in a bare LF.');
          if (end === -1) return;
          head = parseHead(buffered.subarray(0, end).toString('latin1'));
          bodyLength = contentLength(head.headers);
          if (bodyLength > maxBodyBytes) throw new RequestError(413, 'Request body too large.');
          clearTimeout(timer);
          timer = setTimeout(() => finish(() => reject(new RequestError(408, 'The request body did not arrive in time.'))), bodyTimeoutMs);
          chunk = buffered.subarray(end + headEnd.length);
        }
        // One request per connection: bytes after the body are not read.
        const wanted = Math.min(chunk.length, bodyLength - bodyReceived);
        if (wanted > 0) {
          bodyChunks.push(chunk.subarray(0, wanted));
          bodyReceived += wanted;
        }
        if (bodyReceived < bodyLength) return;
        const request = { ...head, body: Buffer.concat(bodyChunks, bodyLength) };
        finish(() => resolve(request));
      } catch (error) {
        finish(() => reject(error));
      }
    }

    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
  });
}

function hasBareLf(bytes: Buffer): boolean {
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) if (bytes[i - 1] !== 13) return true;
  return false;
}

function parseHead(text: string): Omit<IncomingRequest, 'body'> {
  const [line = '', ...fieldLines] = text.split('\r\n');
  const parts = line.match(requestLine);
  if (!parts) throw new RequestError(400, 'Malformed request line.');
  const [, method = '', target = '', version = ''] = parts;
  // Only the versions this reader speaks: not HTTP/2.0 (a connection preface) nor HTTP/9.9.
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') throw new RequestError(400, 'Unsupported HTTP version.');
  // A path, a URL, or "*": not "http://[::1/", which no URL parser can read (RFC 9112, section 3.2).
  if (!URL.canParse(target, 'http://localhost')) throw new RequestError(400, 'Malformed request target.');

  const headers = new Map<string, string>();
  const lines = new Map<string, number>();
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
    lines.set(key, (lines.get(key) ?? 0) + 1);
  }
  // One Host, or the server cannot tell which site is meant (RFC 9112, section 3.2).
  if ((lines.get('host') ?? 0) > 1) throw new RequestError(400, 'A request may carry only one Host header.');
  if (version === 'HTTP/1.1' && !headers.has('host')) throw new RequestError(400, 'Missing Host header.');
  if (!namesAHost(headers.get('host') ?? '')) throw new RequestError(400, 'The Host header names no host.');
  // Content-Length given twice, even with the same value, is refused as lesson 02 does:
  // RFC 9110, section 8.6, allows that.
  if ((lines.get('content-length') ?? 0) > 1) throw new RequestError(400, 'Invalid Content-Length.');
  return { method, target, version, headers };
}

function contentLength(headers: Map<string, string>): number {
  const field = headers.get('content-length');
  if (headers.has('transfer-encoding')) {
    // Two framings in one request is how requests are smuggled past a proxy (RFC 9112, section 6.1).
    if (field !== undefined) throw new RequestError(400, 'Content-Length and Transfer-Encoding together.');
    throw new RequestError(501, 'Transfer-Encoding is not supported by this reader.');
  }
  if (field === undefined) return 0;
  // Digits only: not "+5", "0x10", "5, 5" or "5abc".
  if (!/^\d+$/.test(field)) throw new RequestError(400, 'Invalid Content-Length.');
  return Number(field);
}
