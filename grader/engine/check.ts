// What a behaviour receives: clients that record each exchange, and checks
// that fail with an explanation (a GradeFailure) the reporter can render.
import { randomUUID } from 'node:crypto';
import { describeClientError, hintFor } from './client-errors.ts';
import { GradeFailure, type Exchange, type FailureKind } from './failure.ts';
import { curlCommand, excerpt, handPort, netcatCommand, quoteBytes } from './format.ts';
import { KeptConnections, needsRawSocket, sendHttp, type HttpRequest } from './http-client.ts';
import { limits, responseTooLarge } from './limits.ts';
import { Random, runSeed } from './random.ts';
import { sendRaw, type RawOptions, type RawResponse, type RawResult } from './raw-client.ts';
import { header, type Received } from './response.ts';
import type { ReadMark, ServerHandle, TraceEvent } from './server-process.ts';
import { formatTrace } from './trace-format.ts';

export interface Expectation {
  summary: string;
  expected?: string;
  received?: string;
  hint?: string;
}

/** What a behaviour receives: clients that record, and checks that explain. */
export class Check {
  lastExchange: Exchange | undefined;
  /** The trace of the last request sent with `trace: true`. */
  lastTrace: TraceEvent[] = [];

  /** Connections this behaviour's requests share (see KeptConnections), when the lesson allows it. */
  private readonly connections: KeptConnections | undefined;

  constructor(
    readonly server: ServerHandle,
    /** Replayable random values for this behaviour (see random.ts). */
    readonly random: Random = new Random(runSeed),
    options: { keepAlive?: boolean } = {},
  ) {
    this.connections = options.keepAlive ? new KeptConnections() : undefined;
  }

  /** Ends the connections the behaviour kept: the next behaviour starts on new ones. */
  close(): Promise<void> {
    return this.connections?.close() ?? Promise.resolve();
  }

  /** `t.hex(4)` -> "9f03a1c2": a random word a hard-coded answer cannot guess. */
  hex(bytes = 4): string {
    return this.random.hex(bytes);
  }

  /**
   * A request, described once as data: the engine sends it (through undici,
   * or over a raw socket when it has a Host of its own, HTTP/1.0 or a path
   * sent as is), and shows the learner the curl command that sends the same.
   */
  async request(request: HttpRequest): Promise<Received> {
    const traceId = request.trace ? `trace-${randomUUID()}` : undefined;
    const method = request.method ?? 'GET';
    const command = shownAs(request, method);
    // The trace header goes on the wire only: the command shown is the learner's request.
    const headers = traceId ? { ...request.headers, 'x-roundtrip-trace': traceId } : request.headers;
    const response = needsRawSocket(request)
      ? await this.writeRequest({ ...request, method, headers }, command)
      : await this.requestThroughClient({ ...request, method, headers }, command);
    if (traceId) {
      this.lastTrace = await this.server.traceOf(traceId);
      this.lastExchange!.trace = formatTrace(this.lastTrace);
    }
    return response;
  }

  private async requestThroughClient(request: HttpRequest & { method: string }, command: string): Promise<Received> {
    const shownHeaders = Object.entries(request.headers ?? {}).filter(([n]) => n !== 'x-roundtrip-trace').map(([n, v]) => `${n}: ${v}\r\n`);
    const body = request.body === undefined ? '' : Buffer.from(request.body);
    this.lastExchange = {
      request: { command, raw: quoteBytes(Buffer.concat([Buffer.from(`${request.method} ${request.path} HTTP/1.1\r\nhost: localhost:${handPort}\r\n${shownHeaders.join('')}\r\n`), Buffer.from(body)])) },
    };
    try {
      const response = await sendHttp(this.server.host, this.server.port, { timeoutMs: limits.requestMs, ...request }, this.connections);
      this.lastExchange.response = record(response);
      return response;
    } catch (error) {
      const { kind, problem, hint } = describeClientError(error, this.server.alive);
      this.lastExchange.problem = problem;
      throw new GradeFailure({ kind, summary: problem, exchange: this.lastExchange, hint });
    }
  }

  /**
   * The same description, always over a raw socket, for a spec that needs to
   * see the bytes: what followed the response (`extra`), and whether it was complete.
   */
  async requestOverSocket(request: HttpRequest): Promise<RawResponse> {
    const method = request.method ?? 'GET';
    const command = shownAs(request, method);
    return this.writeRequest({ ...request, method }, command);
  }

  /** The request written out by hand: the Host, version and path exactly as described. */
  private async writeRequest(request: HttpRequest & { method: string }, command: string): Promise<RawResponse> {
    const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
    const lines = [`${request.method} ${request.path} HTTP/${request.version ?? '1.1'}`];
    if (request.host !== null) lines.push(`Host: ${request.host ?? `localhost:${this.server.port}`}`);
    for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`${name}: ${value}`);
    if (request.body !== undefined) lines.push(`Content-Length: ${body.length}`);
    // Asked to close, a server ends the connection after its answer: any stray bytes after it arrive before that.
    lines.push('Connection: close');
    const bytes = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
    const { response } = await this.send([bytes], { timeoutMs: request.timeoutMs ?? limits.requestMs, noBody: request.method === 'HEAD', lingerMs: 300 }, command);
    return response!;
  }

  /**
   * Sends bytes as they are, in one or more packets. Fails the check when no
   * response head arrives, unless `allowNoResponse` is set. With `separately`,
   * each chunk is sent only once the server has read what came before it
   * (the listen probe counts the bytes each connection reads: see
   * listen-probe.cjs), so each arrives in a read of its own however busy or
   * idle the machine is, which no pause can promise. It needs a server that
   * reads its sockets as streams (net.createServer: lesson 02).
   */
  async raw(chunks: string | (string | Uint8Array)[], options: RawOptions & { allowNoResponse?: boolean; show?: string; separately?: boolean } = {}): Promise<RawResult> {
    const list = typeof chunks === 'string' ? [chunks] : chunks;
    const between = options.separately ? (sent: ReadMark) => this.server.barrier(limits.barrierMs, sent) : options.between;
    return this.send(list, { ...options, between }, options.show);
  }

  /**
   * Sends bytes on a connection of its own while another request is under way, and
   * returns its complete response, or undefined when none came. The report keeps
   * showing the request under way (this one is not recorded): the spec puts what it
   * needs of this answer into its own failure message.
   */
  async aside(bytes: string | Uint8Array): Promise<RawResponse | undefined> {
    // Generous: a right server answers at once, and only a missing answer waits this long.
    const { response } = await sendRaw(this.server.host, this.server.port, [bytes], { timeoutMs: limits.requestMs * 4, lingerMs: 0 });
    return response?.complete ? response : undefined;
  }

  private async send(list: (string | Uint8Array)[], options: RawOptions & { allowNoResponse?: boolean }, command?: string): Promise<RawResult> {
    const sent = Buffer.concat(list.map((c) => Buffer.from(c)));
    this.lastExchange = { request: { command: command ?? netcatCommand(sent), raw: quoteBytes(sent) } };
    const result = await sendRaw(this.server.host, this.server.port, list, { timeoutMs: limits.requestMs, ...options });
    if (result.tooLarge) {
      this.lastExchange.response = { statusLine: result.response?.statusLine ?? '(no complete head)', headers: result.response?.headers ?? [], bodyExcerpt: '', raw: quoteBytes(result.bytes.subarray(0, 2048)) };
      this.lastExchange.problem = responseTooLarge.problem;
      throw new GradeFailure({ kind: 'mismatch', summary: responseTooLarge.problem, exchange: this.lastExchange, hint: responseTooLarge.hint });
    }
    if (result.response) {
      this.lastExchange.response = { ...record(result.response), raw: quoteBytes(result.bytes) };
    } else if (result.bytes.length) {
      this.lastExchange.response = { statusLine: '(no complete head)', headers: [], bodyExcerpt: '', raw: quoteBytes(result.bytes) };
    }
    if (!result.response && !options.allowNoResponse) {
      const { kind, problem } = describeRawOutcome(result, this.server);
      this.lastExchange.problem = problem;
      throw new GradeFailure({ kind, summary: problem, exchange: this.lastExchange, hint: hintFor(kind) });
    }
    return result;
  }

  /** Fails this behaviour with an explanation. */
  fail(expectation: Expectation, kind: FailureKind = 'mismatch'): never {
    throw new GradeFailure({ kind, ...expectation, exchange: this.lastExchange });
  }

  check(condition: boolean, expectation: Expectation): void {
    if (!condition) this.fail(expectation);
  }

  expectStatus(response: Received, status: number, hint?: string): void {
    this.check(response.status === status, {
      summary: `Expected status ${status}, got ${Number.isNaN(response.status) ? 'no valid status line' : response.status}.`,
      expected: String(status),
      received: response.statusLine,
      hint,
    });
  }

  expectHeader(response: Received, name: string, expected: string | RegExp, hint?: string): void {
    const value = header(response, name);
    const ok = value !== undefined && (typeof expected === 'string' ? value === expected : expected.test(value));
    this.check(ok, {
      summary: value === undefined ? `The response has no ${name} header.` : `The ${name} header is not right.`,
      expected: `${name}: ${typeof expected === 'string' ? expected : `a value matching ${expected}`}`,
      received: value === undefined ? '(no such header)' : `${name}: ${value}`,
      hint,
    });
  }

  /** The body parsed as JSON; a failure that says so when it is not JSON. */
  expectJson<T = unknown>(response: Received, explain: { summary?: string; hint?: string } = {}): T {
    try {
      return JSON.parse(response.text) as T;
    } catch {
      return this.fail({
        summary: explain.summary ?? 'The body is not valid JSON.',
        received: JSON.stringify(excerpt(response.text, 200)),
        hint: explain.hint,
      });
    }
  }

  /**
   * The server's output lines since `since` (an earlier `server.output.length`),
   * complete up to now: output comes through a pipe and may arrive just after
   * the response it belongs to, so a barrier (see listen-probe.cjs) lets it
   * land. The second barrier covers a line logged one turn after the response.
   */
  async waitForOutput(since: number, done: (lines: string[]) => boolean): Promise<string[]> {
    const lines = () => this.server.outputSince(since).map((line) => line.text);
    for (let round = 0; round < 2 && !done(lines()) && this.server.alive; round++) await this.server.barrier(limits.barrierMs);
    return lines();
  }

  expectBody(response: Received, expected: string | RegExp, hint?: string): void {
    const ok = typeof expected === 'string' ? response.text === expected : expected.test(response.text);
    this.check(ok, {
      summary: 'The body is not what was expected.',
      expected: typeof expected === 'string' ? JSON.stringify(expected) : `a body matching ${expected}`,
      received: JSON.stringify(excerpt(response.text, 200)),
      hint,
    });
  }
}

/** The command a learner can run to send the same request: the description's own, or curl's. */
function shownAs(request: HttpRequest, method: string): string {
  return request.show ?? curlCommand({ method, path: request.path, headers: request.headers, body: request.body, host: request.host, http10: request.version === '1.0', pathAsIs: request.pathAsIs });
}

function record(response: Received) {
  return { statusLine: response.statusLine, headers: response.headers, bodyExcerpt: excerpt(response.text) };
}

function describeRawOutcome(result: RawResult, server: ServerHandle): { kind: FailureKind; problem: string } {
  if (result.errorCode === 'ECONNREFUSED') return { kind: 'connection', problem: 'The connection was refused: nothing is listening any more.' };
  if (result.errorCode === 'ECONNRESET') return { kind: 'connection', problem: 'Your server reset the connection instead of answering.' };
  if (result.timedOut) {
    return result.bytes.length
      ? { kind: 'timeout', problem: 'The response never finished: its head was not ended by an empty line (\\r\\n\\r\\n) in time.' }
      : { kind: 'timeout', problem: 'No response arrived within the time limit.' };
  }
  if (!server.alive) return { kind: 'crash', problem: 'Your server stopped before it answered.' };
  if (result.bytes.includes('\n\n')) {
    return { kind: 'mismatch', problem: 'The head ended with \\n\\n, not \\r\\n\\r\\n: every line of an HTTP head ends with CRLF (\\r\\n).' };
  }
  return result.bytes.length
    ? { kind: 'mismatch', problem: 'The connection closed before a complete response head (ending in \\r\\n\\r\\n) arrived.' }
    : { kind: 'mismatch', problem: 'Your server closed the connection without sending anything.' };
}
