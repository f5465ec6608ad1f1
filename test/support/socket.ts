// A raw socket conversation for the workbook's own tests: send bytes (in
// packets, with pauses), read one response, then learn whether the
// connection was closed or can carry another request.
import net from 'node:net';
import { parseResponse, type RawResponse } from '../../grader/engine/raw-client.ts';

export interface Conversation {
  /** The response, after any interim (1xx) answers. */
  response?: RawResponse;
  /** The statuses of the interim answers before it: [100] after `Expect: 100-continue`, say. */
  interim: number[];
  /** Everything received before the verdict on the connection. */
  bytes: Buffer;
  /** 'closed' by the server, 'usable' (a second request was answered), or 'open' (neither, within the bound). */
  connection: 'closed' | 'usable' | 'open';
  /** Milliseconds from connecting to the close, when it closed. */
  closedAfterMs?: number;
}

export interface ConversationOptions {
  pauseMs?: number;
  /** The longest wait for a response, and then for the close or the second answer. */
  boundMs: number;
  noBody?: boolean;
}

const followUp = 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n';

export function converse(host: string, port: number, chunks: (string | Buffer)[], options: ConversationOptions): Promise<Conversation> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const received: Buffer[] = [];
    let first: RawResponse | undefined;
    let firstLength = 0;
    /** Bytes of interim (1xx) answers before the response, and their statuses. */
    let interimLength = 0;
    const interim: number[] = [];
    const startedAt = performance.now();
    let settled = false;
    const finish = (connection: Conversation['connection']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const bytes = Buffer.concat(received);
      resolve({
        response: first ?? parseResponse(bytes.subarray(interimLength), options.noBody ?? false, connection === 'closed'),
        interim,
        bytes,
        connection,
        closedAfterMs: connection === 'closed' ? performance.now() - startedAt : undefined,
      });
    };
    let timer = setTimeout(() => finish('open'), options.boundMs);
    socket.on('data', (data) => {
      received.push(data);
      const all = Buffer.concat(received);
      if (!first) {
        let parsed = parseResponse(all.subarray(interimLength), options.noBody ?? false, false);
        // Interim answers (100 Continue, RFC 9110 section 15.2) precede the response: read past them.
        while (parsed?.complete && parsed.status >= 100 && parsed.status < 200 && parsed.status !== 101) {
          interimLength = all.length - parsed.extra.length;
          interim.push(parsed.status);
          parsed = parseResponse(all.subarray(interimLength), options.noBody ?? false, false);
        }
        if (parsed?.complete) {
          first = parsed;
          firstLength = all.length - parsed.extra.length;
          // A fresh bound for the second half: the close, or the answer to a second request.
          clearTimeout(timer);
          timer = setTimeout(() => finish('open'), options.boundMs);
          if (!socket.writableEnded) socket.write(followUp, () => {});
        }
      } else if (parseResponse(all.subarray(firstLength), false, false)?.complete) {
        finish('usable');
      }
    });
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish('closed'));
    socket.once('connect', async () => {
      for (const [i, chunk] of chunks.entries()) {
        if (i > 0 && options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
        if (socket.destroyed) return;
        socket.write(chunk);
      }
    });
  });
}
