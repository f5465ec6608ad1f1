// npm run send -- 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n' [--port 3000]:
// sends bytes exactly as written to a server on localhost and prints what
// comes back, byte for byte. The same job as `printf … | nc localhost 3000`,
// on every system Node runs on (Windows has no nc). Escapes as in printf:
// \r \n \t \\ \0 and \xHH; the answer shows \r and other invisible bytes too.
import net from 'node:net';
import { quoteBytes } from '../../engine/format.ts';
import { UserError } from '../../engine/user-error.ts';
import { parseCommandArgs } from '../args.ts';
import { runCommand } from '../run-command.ts';

const usage = "npm run send -- 'GET / HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n' [--port 3000] [--wait 2000]";

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { values, positionals } = parseCommandArgs(args, { port: { type: 'string' }, wait: { type: 'string' } }, usage);
    if (positionals.length !== 1) throw new UserError(`Give the bytes to send, in quotes.\nUsage: ${usage}`);
    const port = Number(values.port ?? 3000);
    const waitMs = Number(values.wait ?? 2000);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`--port takes a port number, not "${values.port}".`);
    if (!Number.isFinite(waitMs) || waitMs < 0) throw new UserError(`--wait takes milliseconds, not "${values.wait}".`);
    const bytes = unescape(positionals[0]!);
    console.log(`Sending ${bytes.length} bytes to localhost:${port}:\n${indent(quoteBytes(bytes, Infinity))}\n`);
    const answer = await exchange(port, bytes, waitMs);
    console.log(answer.bytes.length ? `Received ${answer.bytes.length} bytes:\n${indent(quoteBytes(answer.bytes, 4000))}` : 'Received nothing.');
    console.log(`\n${answer.how}`);
    return 0;
  });
}

/** printf's escapes: \r \n \t \\ \0 \xHH; anything else stays as written. */
export function unescape(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i === text.length - 1) {
      out.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[++i]!;
    const simple: Record<string, number> = { r: 13, n: 10, t: 9, '\\': 92, '0': 0 };
    if (next in simple) out.push(simple[next]!);
    else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(92, ...Buffer.from(next, 'utf8'));
  }
  return Buffer.from(out);
}

function exchange(port: number, bytes: Buffer, waitMs: number): Promise<{ bytes: Buffer; how: string }> {
  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    const socket = net.connect({ host: 'localhost', port });
    const done = (how: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(received), how });
    };
    const timer = setTimeout(() => done(`The server kept the connection open; stopped listening after ${waitMs} ms (--wait).`), waitMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (data) => received.push(data));
    socket.on('end', () => done('The server closed the connection.'));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ECONNREFUSED') reject(new UserError(`Nothing is listening on localhost:${port}. Start a server first, e.g. \`npm run serve -- 2\`.`));
      else if (error.code === 'ECONNRESET') done('The server reset the connection.');
      else reject(error);
    });
  });
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}
