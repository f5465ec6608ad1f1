// The raw client's response parser against recorded responses, valid and
// invalid, as the CodeCrafters tester keeps its parser cases: each
// test/fixtures/responses/NAME.http holds the bytes exactly as they arrive,
// and NAME.json what parseResponse must make of them (for each way the
// connection may stand: closed by the server or not, an answer to HEAD or not).
// A field left out of an expectation is not checked; "response": null means
// no complete head arrived yet; "status": null means no valid status line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseResponse } from '../../grader/engine/raw-client.ts';

interface Expectation {
  closed: boolean;
  noBody?: boolean;
  response: null | {
    status?: number | null;
    statusLine?: string;
    headers?: [string, string][];
    text?: string;
    complete?: boolean;
    extra?: string;
  };
}

const dir = path.join(import.meta.dirname, '..', 'fixtures', 'responses');
const fixtures = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith('.http'))
  .sort()
  .map((name) => name.slice(0, -'.http'.length));

describe.each(fixtures)('%s', (name) => {
  const bytes = fs.readFileSync(path.join(dir, `${name}.http`));
  const cases = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Expectation[];

  test.each(cases.map((c) => [`${c.closed ? 'closed' : 'open'}${c.noBody ? ', answering HEAD' : ''}`, c] as const))('%s', (_how, expected) => {
    const parsed = parseResponse(bytes, expected.noBody ?? false, expected.closed);
    if (expected.response === null) {
      expect(parsed).toBeUndefined();
      return;
    }
    expect(parsed).toBeDefined();
    const { status, ...rest } = expected.response;
    const seen = {
      status: Number.isNaN(parsed!.status) ? null : parsed!.status,
      statusLine: parsed!.statusLine,
      headers: parsed!.headers,
      text: parsed!.text,
      complete: parsed!.complete,
      extra: parsed!.extra.toString('latin1'),
    };
    expect(seen).toMatchObject(status === undefined ? rest : { status, ...rest });
  });
});

test('every fixture has its expectations, and the bytes keep their CR LF', () => {
  for (const name of fixtures) expect(fs.existsSync(path.join(dir, `${name}.json`)), name).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'content-length.http')).includes('\r\n\r\n')).toBe(true);
});

test('a body is cut by Content-Length in bytes, not characters', () => {
  const parsed = parseResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\né!'), false, false)!;
  expect(parsed.text).toBe('é');
  expect(parsed.extra.toString()).toBe('!');
});
