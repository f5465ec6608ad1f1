// A deliberately dumb HTTP/1.1 client on a bare socket, for what undici refuses
// to send: malformed requests, requests split into several packets, and
// responses whose framing we want to see byte for byte.
import net from 'node:net';
import { afterDeadline } from './deadline.ts';
import { responseLimitBytes } from './limits.ts';
import type { Received } from './response.ts';

export interface RawOptions {
  /** Pause between chunks, so they arrive as separate packets. */
  pauseMs?: number;
  /** Awaited between chunks (after any pause), told the socket's port and the bytes sent so far: see Check.raw's `separately`. */
  between?: (sent: { port: number; bytes: number }) => Promise<unknown>;
  /** Give up waiting after this long (the result says so; it does not throw). */
  timeoutMs?: number;
  /** The response has no body whatever its headers say (answers to HEAD). */
  noBody?: boolean;
  /** After a complete response, wait this long for stray extra bytes or a close. */
  lingerMs?: number;
  /** Stop lingering as soon as this holds for everything received (a second, pipelined answer is complete, say). */
  until?: (bytes: Buffer) => boolean;
}

export interface RawResult {
  /** Everything received, exactly. */
  bytes: Buffer;
  /** The parsed response, when a status line and a complete head arrived. */
  response?: RawResponse;
  /** The server closed the connection. */
  closed: boolean;
  timedOut: boolean;
  /** A socket error code such as ECONNREFUSED or ECONNRESET. */
  errorCode?: string;
  /** More than responseLimitBytes arrived: reading stopped there. */
  tooLarge?: boolean;
}

export interface RawResponse extends Received {
  /** The body was complete by Content-Length (or by close, without one). */
  complete: boolean;
  /** Bytes that arrived after the end of the response. */
  extra: Buffer;
}

const headEnd = Buffer.from('\r\n\r\n');

export function sendRaw(
  host: string,
  port: number,
  chunks: (string | Uint8Array)[],
  options: RawOptions = {},
): Promise<RawResult> {
  const { pauseMs = 0, timeoutMs = 3000, noBody = false, lingerMs = 30 } = options;
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let closed = false;
    let settled = false;
    let lingering: NodeJS.Timeout | undefined;
    const socket = net.connect({ host, port });

    const finish = (extra: Partial<RawResult> = {}) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(lingering);
      socket.destroy();
      const bytes = Buffer.concat(received);
      resolve({ bytes, response: parseResponse(bytes, noBody, closed), closed, timedOut: false, ...extra });
    };
    const timer = afterDeadline(timeoutMs, () => finish({ timedOut: !parseResponse(Buffer.concat(received), noBody, closed)?.complete }));

    const whole = wholeResponse(received, noBody);
    socket.on('data', (data) => {
      received.push(data);
      const state = whole.after(data.length);
      if (state === 'too large') return finish({ tooLarge: true });
      if (state === 'not yet') return;
      if (options.until?.(state)) return finish();
      // As the deadline: after a stall, bytes or a close that came meanwhile are read before it ends the wait.
      lingering ??= afterDeadline(lingerMs, () => finish());
    });
    socket.on('end', () => {
      closed = true;
      finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ errorCode: error.code ?? error.message }));
    socket.once('connect', async () => {
      let bytes = 0;
      for (const [index, chunk] of chunks.entries()) {
        if (settled) return;
        if (index > 0 && pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
        if (index > 0) await options.between?.({ port: socket.localPort!, bytes });
        if (settled) return;
        socket.write(chunk);
        bytes += Buffer.byteLength(chunk);
      }
    });
  });
}

/**
 * Follows the reads of one response: after each, whether it is complete (then
 * everything received so far), still coming, or past responseLimitBytes. A
 * long body arrives in many reads, so once the head is in, the bytes are
 * parsed again only when there may be enough of them.
 */
function wholeResponse(received: Buffer[], noBody: boolean): { after(read: number): Buffer | 'not yet' | 'too large' } {
  let total = 0;
  // Once the head is in: how many bytes make the response whole (Infinity: it ends when the connection does).
  let wholeAt: number | undefined;
  return {
    after(read) {
      total += read;
      if (total > responseLimitBytes) return 'too large';
      if (wholeAt !== undefined && total < wholeAt) return 'not yet';
      const bytes = Buffer.concat(received);
      const parsed = parseResponse(bytes, noBody, false);
      if (parsed?.complete) return bytes;
      if (parsed) {
        const length = declaredLength(parsed.headers);
        wholeAt = length === undefined ? Infinity : bytes.indexOf(headEnd) + headEnd.length + length;
      }
      return 'not yet';
    },
  };
}

/** The body's length as Content-Length gives it (digits only), or undefined: then the body ends with the connection. */
function declaredLength(headers: [string, string][]): number | undefined {
  const field = headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1];
  return field !== undefined && /^\d+$/.test(field) ? Number(field) : undefined;
}

/** Parses what arrived so far; undefined until a whole head has arrived. */
export function parseResponse(bytes: Buffer, noBody: boolean, closed: boolean): RawResponse | undefined {
  const end = bytes.indexOf(headEnd);
  if (end === -1) return undefined;
  const [statusLine = '', ...fieldLines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers = fieldLines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return colon === -1 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  // Three digits, then a space or the end of the line: "HTTP/1.1 2000" has no status.
  const status = Number(statusLine.match(/^HTTP\/\d\.\d (\d{3})(?: |$)/)?.[1] ?? NaN);
  const rest = bytes.subarray(end + headEnd.length);
  const length = declaredLength(headers);
  const bodiless = noBody || status === 204 || status === 304 || (status >= 100 && status < 200);
  let body: Buffer;
  let complete: boolean;
  if (bodiless) {
    body = Buffer.alloc(0);
    complete = true;
  } else if (length !== undefined) {
    body = rest.subarray(0, length);
    complete = rest.length >= length;
  } else {
    body = rest;
    complete = closed;
  }
  return {
    status,
    statusLine,
    headers,
    body,
    text: body.toString('utf8'),
    complete,
    extra: rest.subarray(body.length),
  };
}
