// Lesson 05: POST /echo parses urlencoded forms, JSON and multipart uploads, and
// refuses what it cannot or must not read (413, 415, 400) without falling over.
// Names, values and file bytes are random, so only a real parser passes.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { shellQuote, netcatCommand, handPort } from '../engine/format.ts';
import { gradeLesson, limits, type Check } from '../engine/harness.ts';
import type { HttpRequest } from '../engine/http-client.ts';
import type { RawResult } from '../engine/raw-client.ts';
import type { Received } from '../engine/response.ts';

const lesson = gradeLesson(import.meta.url);

/** BODY_LIMIT in the exercise: 1 MiB. */
const limit = 1024 * 1024;
const url = `http://localhost:${handPort}/echo`;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const pick = <T>(items: T[]): T => items[randomInt(items.length)]!;

type Fields = Record<string, string[]>;
interface FileSummary {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

// ---- sending -------------------------------------------------------------

/**
 * POSTs to /echo. `command` replaces the recorded curl command when the body is
 * binary or huge, which the engine would otherwise print whole.
 */
async function post(t: Check, contentType: string | undefined, body: string | Buffer, command?: string): Promise<Received> {
  const request: HttpRequest = { method: 'POST', path: '/echo', headers: contentType ? { 'Content-Type': contentType } : {}, body };
  try {
    return await t.request(request);
  } finally {
    if (command && t.lastExchange) t.lastExchange.request.command = command;
  }
}

/** Raw bytes to the server, never failing inside t.raw, so the spec can say what went wrong. */
async function sendRaw(t: Check, chunks: (string | Buffer)[], shownAs: string, timeoutMs = limits.requestMs): Promise<RawResult> {
  const result = await t.raw(chunks, { allowNoResponse: true, timeoutMs });
  if (t.lastExchange) t.lastExchange.request.command = shownAs;
  return result;
}

/** `curl -F` for a multipart form, with $'…' where a value holds CR or LF. */
function curlForm(parts: Part[]): string {
  const quote = (text: string) => (/[\r\n]/.test(text) ? `$'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'` : shellQuote(text));
  const args = parts.map((part) =>
    part.filename === undefined ? `-F ${quote(`${part.name}=${part.data}`)}` : `-F ${shellQuote(`${part.name}=@${part.filename};type=${part.contentType}`)}`,
  );
  return `curl -v ${args.join(' ')} ${url}`;
}

// ---- building bodies -----------------------------------------------------

interface Part {
  name: string;
  data: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body as browsers and curl write it (RFC 7578). */
function multipart(boundary: string, parts: Part[]): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.contentType ? `Content-Type: ${part.contentType}\r\n` : '';
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

/** File bytes that trip up parsers: CR LF, an almost-delimiter, an empty line, bytes that are not UTF-8. */
function trickyFile(boundary: string): Buffer {
  return Buffer.concat([
    Buffer.from('\r\n'),
    randomBytes(randomInt(800, 2000)),
    Buffer.from(`\r\n--${boundary.slice(0, -1)}`),
    randomBytes(randomInt(800, 2000)),
    Buffer.from('\r\n\r\n'),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x00]),
    randomBytes(randomInt(800, 2000)),
    Buffer.from('\r\n--'),
    randomBytes(randomInt(800, 2000)),
    Buffer.from('\r\n'),
  ]);
}

const summary = (part: Part): FileSummary => ({
  field: part.name,
  filename: part.filename!,
  contentType: part.contentType!,
  size: Buffer.byteLength(part.data),
  sha256: createHash('sha256').update(part.data).digest('hex'),
});

// ---- reading answers -----------------------------------------------------

function parsed(response: Received): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(response.text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON of a 200 answer. */
function echoed(t: Check, response: Received, hint?: string): Record<string, unknown> {
  t.expectStatus(response, 200, hint);
  const body = parsed(response);
  if (!body) t.fail({ summary: 'The answer is not a JSON object.', received: response.text.slice(0, 200), hint: 'The provided code writes the JSON; did you change it?' });
  return body;
}

function expectFields(t: Check, got: unknown, expected: Fields, hint: (name: string, got: unknown) => string | undefined): void {
  if (isDeepStrictEqual(got, expected)) return;
  const fields = (typeof got === 'object' && got !== null ? got : {}) as Record<string, unknown>;
  const wrong = Object.keys(expected).find((name) => !isDeepStrictEqual(fields[name], expected[name]));
  t.fail({
    summary: wrong === undefined ? 'The fields are not the ones that were sent.' : `The field "${wrong}" is not what was sent.`,
    expected: JSON.stringify(wrong === undefined ? expected : { [wrong]: expected[wrong] }),
    received: JSON.stringify(wrong === undefined ? got : { [wrong]: fields[wrong] ?? '(missing)' }),
    hint: wrong === undefined ? 'Every name that was sent, and no other.' : hint(wrong, fields[wrong]),
  });
}

function expectRefused(t: Check, response: Received, status: number, hint: string): void {
  t.check(response.status === status, {
    summary:
      response.status === 500
        ? `Your server answered 500 Internal Server Error: an error escaped instead of becoming a ${status}.`
        : `Expected status ${status}, got ${response.status}.`,
    expected: String(status),
    received: `${response.statusLine} ${response.text.slice(0, 120)}`,
    hint,
  });
}

/** After something malformed, a good request must still get a good answer. */
async function expectStillAnswering(t: Check): Promise<void> {
  const value = { still: 'here', n: randomInt(1_000_000) };
  const response = await post(t, 'application/json', JSON.stringify(value));
  t.check(response.status === 200 && isDeepStrictEqual(parsed(response)?.json, value), {
    summary: 'After the malformed request, your server does not answer a good one properly.',
    expected: `200 with ${JSON.stringify({ json: value })}`,
    received: `${response.statusLine} ${response.text.slice(0, 120)}`,
    hint: 'An error in one request must not leave the server broken for the next.',
  });
}

// ---- urlencoded ----------------------------------------------------------

lesson.behaviour('keeps every value of a repeated name in a urlencoded form', async (t) => {
  const tag = `tag${hex(2)}`;
  const [a, b, c, name] = [hex(3), hex(3), hex(3), hex(4)];
  const response = await post(t, 'application/x-www-form-urlencoded', `${tag}=${a}&name=${name}&${tag}=${b}&${tag}=${c}`);
  const body = echoed(t, response);
  expectFields(t, body.fields, { [tag]: [a, b, c], name: [name] }, () => 'Collect the values of a name in an array, in the order they came; do not overwrite.');
});

lesson.behaviour('decodes "+" as a space and %XX escapes as UTF-8 in a urlencoded form', async (t) => {
  const n = randomInt(10, 1000);
  const word = hex(3);
  const body = [
    `q=caf%C3%A9+au+lait+${word}`,
    `sum=1%2B${n}%3D${n + 1}`,
    `band=rock+%26+roll`,
    `city%20name=S%C3%A3o+Paulo`,
    `party=%F0%9F%8E%89`,
    `empty=`,
  ].join('&');
  const expected: Fields = {
    q: [`café au lait ${word}`],
    sum: [`1+${n}=${n + 1}`],
    band: ['rock & roll'],
    'city name': ['São Paulo'],
    party: ['🎉'],
    empty: [''],
  };
  const fields = echoed(t, await post(t, 'application/x-www-form-urlencoded', body)).fields;
  expectFields(t, fields, expected, (name, got) => {
    if (got === undefined) return `Decode the names as well as the values: "city%20name" is the field "city name".`;
    const text = JSON.stringify(got);
    if (text.includes('%')) return 'Decode the %XX escapes: decodeURIComponent reads them as UTF-8.';
    if (name === 'sum') return 'A "%2B" is a real plus sign: turn "+" into spaces before you decode the escapes, not after.';
    if (text.includes('+')) return 'In a form, "+" stands for a space. Replace it before you decode the %XX escapes.';
    return 'Split at "&", then at the first "=", and decode the name and the value.';
  });
});

// ---- JSON ----------------------------------------------------------------

lesson.behaviour('echoes a JSON object it was sent', async (t) => {
  const value = {
    id: randomInt(1_000_000),
    name: `Zoë ${hex(3)}`,
    tags: [hex(2), hex(2)],
    nested: { ok: true, none: null, ratio: randomInt(100) / 8 },
  };
  const body = echoed(t, await post(t, 'application/json', JSON.stringify(value)));
  t.check(isDeepStrictEqual(body.json, value), {
    summary: 'The JSON that came back is not the JSON that was sent.',
    expected: JSON.stringify({ json: value }),
    received: JSON.stringify(body).slice(0, 300),
    hint: 'Decode the Buffer as UTF-8 and JSON.parse it; parseBody returns { json: value }.',
  });
});

lesson.behaviour('reads the media type case-insensitively and ignores parameters like charset', async (t) => {
  const value = { id: hex(4) };
  const json = echoed(
    t,
    await post(t, 'Application/JSON; charset=UTF-8', JSON.stringify(value)),
    'Media types are case-insensitive, and "; charset=…" is a parameter: compare only what comes before ";", in lower case.',
  );
  t.check(isDeepStrictEqual(json.json, value), { summary: 'The JSON that came back is not the JSON that was sent.', expected: JSON.stringify({ json: value }), received: JSON.stringify(json) });

  const name = hex(4);
  const form = echoed(
    t,
    await post(t, 'application/x-www-form-urlencoded;charset=utf-8', `name=${name}`),
    'A Content-Type may carry parameters after ";", even without a space: compare only the media type before it.',
  );
  expectFields(t, form.fields, { name: [name] }, () => undefined);

  const boundary = `Boundary${hex(6)}`;
  const title = hex(4);
  const multi = echoed(
    t,
    await post(t, `Multipart/Form-Data; boundary=${boundary}`, multipart(boundary, [{ name: 'title', data: title }])),
    'Compare the media type in lower case: "Multipart/Form-Data" is multipart/form-data.',
  );
  expectFields(t, multi.fields, { title: [title] }, () => undefined);
});

// ---- multipart -----------------------------------------------------------

lesson.behaviour('parses the text fields of a multipart form', async (t) => {
  const boundary = `----RoundtripFormBoundary${hex(8)}`;
  const parts: Part[] = [
    { name: 'title', data: `Zoë's café ${hex(3)}` },
    { name: 'note', data: `line one\r\nline two ${hex(3)}` },
    { name: 'tag', data: hex(3) },
    { name: 'tag', data: hex(3) },
  ];
  const response = await post(t, `multipart/form-data; boundary=${boundary}`, multipart(boundary, parts), curlForm(parts));
  const body = echoed(t, response);
  const expected: Fields = { title: [parts[0]!.data as string], note: [parts[1]!.data as string], tag: [parts[2]!.data as string, parts[3]!.data as string] };
  expectFields(t, body.fields, expected, (_name, got) =>
    /\\r\\n"\]$|\\r\\n"/.test(JSON.stringify(got ?? ''))
      ? 'The value ends with "\\r\\n": that CRLF belongs to the delimiter, "\\r\\n--" + boundary, not to the value.'
      : 'Each part: header lines, an empty line, then the value up to CRLF "--" boundary. A value may contain CRLF itself.',
  );
  t.check(isDeepStrictEqual(body.files, []), {
    summary: 'A part without a filename is a text field, not a file.',
    expected: '"files": []',
    received: JSON.stringify(body.files).slice(0, 200),
    hint: 'Only a Content-Disposition with filename="…" makes a part a file.',
  });
});

lesson.behaviour('receives uploaded files byte for byte', async (t) => {
  const boundary = `------------------------${hex(8)}`;
  const title = `Holiday ${hex(3)}`;
  const photo: Part = { name: `upload${hex(2)}`, filename: `photo-${hex(3)}.bin`, contentType: 'application/octet-stream', data: trickyFile(boundary) };
  const notes: Part = { name: 'notes', filename: `notes-${hex(2)}.txt`, contentType: 'text/plain', data: `Día ${hex(3)}\r\n` };
  const parts: Part[] = [{ name: 'title', data: title }, photo, notes];
  const response = await post(t, `multipart/form-data; boundary=${boundary}`, multipart(boundary, parts), curlForm(parts));
  const body = echoed(t, response);
  expectFields(t, body.fields, { title: [title] }, () => 'A part without a filename is a text field.');

  const files = (Array.isArray(body.files) ? body.files : []) as FileSummary[];
  const expected = [summary(photo), summary(notes)];
  t.check(files.length === expected.length, {
    summary: `${expected.length} files were sent, ${files.length} came back.`,
    expected: JSON.stringify(expected.map((f) => f.filename)),
    received: JSON.stringify(files.map((f) => f?.filename)),
    hint: 'A part whose Content-Disposition has filename="…" is a file: push it onto files.',
  });
  for (const [index, want] of expected.entries()) {
    const got = (files[index] ?? {}) as Partial<FileSummary>;
    const { size, sha256, ...label } = want;
    t.check(isDeepStrictEqual({ field: got.field, filename: got.filename, contentType: got.contentType }, label), {
      summary: `File ${index + 1} has the wrong name, filename or content type.`,
      expected: JSON.stringify(label),
      received: JSON.stringify({ field: got.field, filename: got.filename, contentType: got.contentType }),
      hint: 'name and filename come from Content-Disposition; contentType from the part\'s own Content-Type header.',
    });
    t.check(got.size === size && got.sha256 === sha256, {
      summary: `The bytes of ${want.filename} changed on the way: ${size} bytes were sent, ${got.size} arrived${got.size === size ? ', but different ones' : ''}.`,
      expected: `${size} bytes, sha256 ${sha256}`,
      received: `${got.size} bytes, sha256 ${got.sha256}`,
      hint:
        got.size === size + 2
          ? 'Two bytes too many: the CRLF before "--" + boundary is part of the delimiter, not of the file.'
          : 'Keep the body a Buffer from start to end (indexOf and subarray work on Buffers). Decoding it as a string replaces bytes that are not valid UTF-8.',
    });
  }
});

// ---- limits --------------------------------------------------------------

lesson.behaviour('accepts a body of exactly the limit (1 MiB)', async (t) => {
  const filler = pick(['a', 'b', 'z']);
  const json = `{"pad":"${filler.repeat(limit - 10)}"}`;
  const response = await post(t, 'application/json', json, `printf '{"pad":"%s"}' "$(head -c ${limit - 10} /dev/zero | tr '\\0' ${filler})" | curl -v -H 'Content-Type: application/json' --data-binary @- ${url}`);
  const body = echoed(t, response, `The body was exactly ${limit} bytes: that is allowed. Refuse only what is larger than the limit.`);
  const pad = (body.json as { pad?: unknown } | undefined)?.pad;
  t.check(typeof pad === 'string' && pad.length === limit - 10, {
    summary: 'The JSON that came back is not the JSON that was sent.',
    expected: `{"json":{"pad":"${filler}${filler}${filler}… (${limit - 10} characters)"}}`,
    received: JSON.stringify(body).slice(0, 120),
    hint: 'Collect every chunk and Buffer.concat them once the body has ended.',
  });
});

lesson.behaviour('answers 413 when Content-Length is over the limit, before the body arrives', async (t) => {
  const length = limit + randomInt(1, 100_000);
  const head = `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
  const start = `{"pad":"${'a'.repeat(1000)}`;
  const { response, timedOut, closed } = await sendRaw(t, [head, start], netcatCommand(head + start.slice(0, 30)));
  if (!response) {
    return t.fail({
      summary: timedOut
        ? `No answer came while the rest of the body was still on its way: Content-Length announced ${length} bytes, more than the limit of ${limit}.`
        : 'Your server closed the connection without answering.',
      expected: 'HTTP/1.1 413 Content Too Large, as soon as the head has arrived',
      received: timedOut ? '(nothing: your server was still waiting for the body)' : `(the connection ${closed ? 'closed' : 'failed'})`,
      hint: 'Compare Content-Length with the limit before you read a single chunk: a client that announces too much is refused at once.',
    });
  }
  expectRefused(t, response, 413, 'A body larger than the limit gets 413 Content Too Large: throw new HttpError(413, …).');
  await expectStillAnswering(t);
});

lesson.behaviour('answers 413 when a chunked body grows over the limit', async (t) => {
  const size = limit + randomInt(1, 8192);
  const json = `"${'a'.repeat(size - 2)}"`;
  const chunks = [`POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`];
  for (let at = 0; at < json.length; at += 65_536) {
    const piece = json.slice(at, at + 65_536);
    chunks.push(`${piece.length.toString(16)}\r\n${piece}\r\n`);
  }
  chunks.push('0\r\n\r\n');
  const shownAs = `head -c ${size} /dev/zero | tr '\\0' a | curl -v -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @- ${url}`;
  const { response, timedOut } = await sendRaw(t, chunks, shownAs);
  if (!response) {
    return t.fail({
      summary: timedOut ? 'No answer came in time to a chunked body larger than the limit.' : 'Your server closed the connection without answering the oversized chunked body.',
      expected: 'HTTP/1.1 413 Content Too Large',
      received: '(no response)',
      hint: timedOut
        ? 'Count the bytes as each chunk arrives, and answer 413 as soon as the count passes the limit.'
        : 'Answer 413 first; stop reading (req.pause()) rather than destroying the request, or the answer is lost.',
    });
  }
  expectRefused(
    t,
    response,
    413,
    'A chunked body has no Content-Length: count the bytes as they arrive, and throw new HttpError(413, …) once the count passes the limit.',
  );
  await expectStillAnswering(t);
});

// ---- refusing what cannot be read ---------------------------------------

lesson.behaviour('answers 415 for a Content-Type it cannot read', async (t) => {
  const type = pick(['text/xml', 'application/xml', 'text/csv']);
  expectRefused(t, await post(t, type, `<note>${hex(4)}</note>`), 415, `Only three media types have a parser; "${type}" is none of them: 415 Unsupported Media Type.`);
  expectRefused(t, await post(t, undefined, `hello ${hex(4)}`), 415, 'A body without a Content-Type cannot be read either: 415. (req.headers["content-type"] may be undefined.)');
  await expectStillAnswering(t);
});

lesson.behaviour('answers 400 for malformed JSON', async (t) => {
  const id = hex(3);
  const bad = pick([`{"id": "${id}",}`, `{"id": "${id}"`, `{'id': '${id}'}`, `{"id": ${id}x}`]);
  expectRefused(t, await post(t, 'application/json', bad), 400, 'JSON.parse throws a SyntaxError on malformed JSON: catch it and throw new HttpError(400, …) instead.');
  await expectStillAnswering(t);
});

lesson.behaviour('answers 400 for multipart/form-data without a boundary', async (t) => {
  const body = multipart(`b${hex(6)}`, [{ name: 'title', data: hex(3) }]);
  for (const type of ['multipart/form-data', 'multipart/form-data; charset=utf-8']) {
    expectRefused(
      t,
      await post(t, type, body),
      400,
      'Without boundary=… in the Content-Type there is no telling where one part ends: throw new HttpError(400, …).',
    );
  }
  await expectStillAnswering(t);
});

lesson.behaviour('answers other malformed bodies with 400 and keeps running', async (t) => {
  const boundary = `b${hex(6)}`;
  const type = `multipart/form-data; boundary=${boundary}`;
  const disposition = 'Content-Disposition: form-data; name="a"';
  const cases: [what: string, contentType: string, body: string][] = [
    ['a multipart body that never contains its boundary', type, `--other\r\n${disposition}\r\n\r\n1\r\n--other--\r\n`],
    ['a multipart body cut off before its closing boundary', type, `--${boundary}\r\n${disposition}\r\n\r\n1${hex(2)}`],
    ['a multipart part without Content-Disposition', type, `--${boundary}\r\nContent-Type: text/plain\r\n\r\n1\r\n--${boundary}--\r\n`],
    ['a multipart part without a name', type, `--${boundary}\r\nContent-Disposition: form-data\r\n\r\n1\r\n--${boundary}--\r\n`],
    ['a multipart part without the empty line after its headers', type, `--${boundary}\r\n${disposition}\r\n--${boundary}--\r\n`],
    ['an empty JSON body', 'application/json', ''],
  ];
  for (const [what, contentType, body] of cases) {
    const response = await post(t, contentType, body);
    t.check(response.status === 400, {
      summary: `${what[0]!.toUpperCase()}${what.slice(1)} was answered ${response.status}, not 400 Bad Request.`,
      expected: '400',
      received: `${response.statusLine} ${response.text.slice(0, 120)}`,
      hint:
        response.status === 500
          ? 'An error escaped from your parser. Check each thing you expect before you use it, and throw new HttpError(400, …) when it is not there.'
          : 'A body that does not follow the format is the client\'s mistake: 400.',
    });
  }
  // Broken escapes: a lenient parser may keep them as they are (200); a strict one says 400. Never 500.
  const escapes = await post(t, 'application/x-www-form-urlencoded', `a=%zz&b=%E9&c=${hex(2)}`);
  t.check(escapes.status === 200 || escapes.status === 400, {
    summary: `A form with broken %-escapes ("%zz", "%E9") was answered ${escapes.status}.`,
    expected: '200 (keeping them as they are) or 400',
    received: `${escapes.statusLine} ${escapes.text.slice(0, 120)}`,
    hint: 'decodeURIComponent throws a URIError on a broken escape: catch it.',
  });
  // A client that gives up halfway through its upload.
  const head = `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n`;
  await sendRaw(t, [head, '{"a":"'], netcatCommand(head + '{"a":"'), 300);
  await expectStillAnswering(t);
});
