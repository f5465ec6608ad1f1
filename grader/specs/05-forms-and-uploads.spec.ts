// Lesson 05: POST /echo parses urlencoded forms, JSON and multipart uploads, and
// refuses what it cannot or must not read (413, 415, 400) without falling over.
// Names, values and file bytes are random, so only a real parser passes.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { type Check, gradeLesson, handPort, limits, netcatCommand, type RawResponse, type RawResult, type Received, shellQuote } from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

/** BODY_LIMIT in the exercise: 1 MiB. */
const limit = 1024 * 1024;
/** FIELD_LIMIT in the exercise: name=value pairs of a form, or parts of a multipart body. */
const fieldLimit = 1000;
/** JSON_DEPTH_LIMIT in the exercise: arrays and objects inside one another. */
const depthLimit = 100;
const url = `http://localhost:${handPort}/echo`;
const hex = (bytes: number) => random.hex(bytes);
const pick = <T>(items: T[]): T => items[random.int(0, items.length - 1)]!;

type Fields = Record<string, string[]>;
interface FileSummary {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

// ---- sending -------------------------------------------------------------

/** POSTs to /echo. `show`: how to show it when a curl line with the whole body would not help (binary, huge, a form). */
async function post(t: Check, contentType: string | undefined, body: string | Buffer, show?: string): Promise<Received> {
  return t.request({ method: 'POST', path: '/echo', headers: contentType ? { 'Content-Type': contentType } : {}, body, show });
}

/** Raw bytes to the server, never failing inside t.raw, so the spec can say what went wrong. */
async function sendRaw(t: Check, chunks: (string | Buffer)[], show: string, timeoutMs = limits.requestMs): Promise<RawResult> {
  return t.raw(chunks, { allowNoResponse: true, timeoutMs, show });
}

/** `curl -F` for a multipart form, with $'…' where a value holds CR or LF. */
function curlForm(parts: Part[]): string {
  const quote = (text: string) => (/[\r\n]/.test(text) ? `$'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'` : shellQuote(text));
  const args = parts.map((part) =>
    part.filename === undefined
      ? `-F ${quote(`${part.name}=${part.data}`)}`
      : `-F ${shellQuote(`${part.name}=@${part.filename}${part.contentType ? `;type=${part.contentType}` : ''}`)}`,
  );
  return `curl -v ${args.join(' ')} ${url}`;
}

// ---- building bodies -----------------------------------------------------

interface Part {
  name: string;
  data: string | Buffer;
  filename?: string;
  contentType?: string;
  /** Header names in lower case ("content-disposition:"), as some clients write them: names are case-insensitive. */
  lowerCaseHeaders?: boolean;
  /** filename="…" before name="…" in Content-Disposition: parameters come in any order. */
  filenameFirst?: boolean;
}

/** A multipart/form-data body as browsers and curl write it (RFC 7578). */
function multipart(boundary: string, parts: Part[]): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.filenameFirst && part.filename !== undefined
        ? `form-data; filename="${part.filename}"; name="${part.name}"`
        : `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const [dispositionName, typeName] = part.lowerCaseHeaders ? ['content-disposition', 'content-type'] : ['Content-Disposition', 'Content-Type'];
    const type = part.contentType ? `${typeName}: ${part.contentType}\r\n` : '';
    pieces.push(Buffer.from(`--${boundary}\r\n${dispositionName}: ${disposition}\r\n${type}\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

/**
 * File bytes that trip up parsers: CR LF, an almost-delimiter, an empty line, bytes that are not UTF-8.
 * The almost-delimiter is the boundary with its last character changed, never cut short: random
 * bytes after a shortened one would complete the real delimiter one time in 256.
 */
function trickyFile(boundary: string): Buffer {
  const almost = `${boundary.slice(0, -1)}${boundary.endsWith('x') ? 'y' : 'x'}`;
  return Buffer.concat([
    Buffer.from('\r\n'),
    random.bytes(random.int(800, 1999)),
    Buffer.from(`\r\n--${almost}`),
    random.bytes(random.int(800, 1999)),
    Buffer.from('\r\n\r\n'),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x00]),
    random.bytes(random.int(800, 1999)),
    Buffer.from('\r\n--'),
    random.bytes(random.int(800, 1999)),
    Buffer.from('\r\n'),
  ]);
}

const summary = (part: Part, filename = part.filename!): FileSummary => ({
  field: part.name,
  filename,
  // RFC 7578, section 4.4: a part without a Content-Type is text/plain.
  contentType: part.contentType ?? 'text/plain',
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

/** `what` names the request in the summary: "JSON nested 101 levels deep". */
function expectRefused(t: Check, response: Received, status: number, hint: string, what?: string): void {
  const sent = what ? `${what[0]!.toUpperCase()}${what.slice(1)} was answered ${response.status}` : '';
  t.check(response.status === status, {
    summary:
      response.status === 500
        ? `${sent ? `${sent}: an` : 'Your server answered 500 Internal Server Error: an'} error escaped instead of becoming a ${status}.`
        : sent
          ? `${sent}, not ${status}.`
          : `Expected status ${status}, got ${response.status}.`,
    expected: String(status),
    received: `${response.statusLine} ${response.text.slice(0, 120)}`,
    hint,
  });
}

/** After something malformed, a good request must still get a good answer. */
async function expectStillAnswering(t: Check): Promise<void> {
  const value = { still: 'here', n: random.int(0, 999999) };
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
  // The same value twice is two values (two checkboxes of one value, a list that repeats an item): the last pair repeats the first.
  const response = await post(t, 'application/x-www-form-urlencoded', `${tag}=${a}&name=${name}&${tag}=${b}&${tag}=${c}&${tag}=${a}`);
  const body = echoed(t, response);
  expectFields(t, body.fields, { [tag]: [a, b, c, a], name: [name] }, () => 'Collect the values of a name in an array, in the order they came, every one of them: do not overwrite, and keep a value that came before as well.');
});

lesson.behaviour('decodes "+" as a space and %XX escapes as UTF-8 in a urlencoded form', async (t) => {
  const n = random.int(10, 999);
  const word = hex(3);
  const body = [
    `q=caf%C3%A9+au+lait+${word}`,
    `sum=1%2B${n}%3D${n + 1}`,
    `band=rock+%26+roll`,
    `city%20name=S%C3%A3o+Paulo`,
    `first+name=Ada+${word}`,
    `party=%F0%9F%8E%89`,
    // Hex digits in either case: %c3%a9 is %C3%A9 (RFC 3986, section 2.1).
    `lower=na%c3%afve+%e2%82%ac${word}`,
    // Unescaped, as curl -d 'raw=Zoë' sends it: the bytes of the body are UTF-8 too.
    `raw=Zoë+${word}`,
    `padded=++${word}%20`,
    `empty=`,
  ].join('&');
  const expected: Fields = {
    q: [`café au lait ${word}`],
    sum: [`1+${n}=${n + 1}`],
    band: ['rock & roll'],
    'city name': ['São Paulo'],
    'first name': [`Ada ${word}`],
    party: ['🎉'],
    lower: [`naïve €${word}`],
    raw: [`Zoë ${word}`],
    padded: [`  ${word} `],
    empty: [''],
  };
  const fields = echoed(t, await post(t, 'application/x-www-form-urlencoded', body)).fields;
  expectFields(t, fields, expected, (name, got) => {
    if (got === undefined) return `Decode the names as well as the values, "+" and %XX alike: "city%20name" is the field "city name", and "first+name" is "first name".`;
    const text = JSON.stringify(got);
    if (name === 'lower') return 'The hex digits of an escape may be lower case: "%c3%a9" is "é" as much as "%C3%A9" is (RFC 3986, section 2.1). Accept a-f as well as A-F.';
    if (text.includes('%')) return 'Decode the %XX escapes: decodeURIComponent reads them as UTF-8.';
    if (name === 'padded') return 'Spaces at either end of a value are part of it, "+" and %20 alike: decode, and change nothing more (no trim()).';
    if (name === 'raw') return 'This value came as raw UTF-8 bytes, not escaped ("Zoë", as curl -d sends it): turn the body into text with toString("utf8"), not latin1.';
    if (name === 'sum') return 'A "%2B" is a real plus sign: turn "+" into spaces before you decode the escapes, not after.';
    if (text.includes('+')) return 'In a form, "+" stands for a space. Replace it before you decode the %XX escapes.';
    return 'Split at "&", then at the first "=", and decode the name and the value.';
  });
});

lesson.behaviour('splits each urlencoded pair at its first "="', async (t) => {
  const [n, flag, word] = [random.int(10, 999), `flag${hex(2)}`, hex(3)];
  // Empty pairs (a leading, a doubled and a trailing "&") are no fields at all.
  const fields = echoed(t, await post(t, 'application/x-www-form-urlencoded', `&expr=x=${n}==y&&${flag}&word=${word}&`)).fields;
  const emptyPair = 'An empty pair, between "&&" or after a trailing "&", is no field: skip it rather than make a field named "".';
  t.check(!Object.hasOwn((fields ?? {}) as object, ''), { summary: 'Empty pairs became a field named "".', expected: '(no field "")', received: JSON.stringify(fields).slice(0, 200), hint: emptyPair });
  expectFields(t, fields, { expr: [`x=${n}==y`], [flag]: [''], word: [word] }, (name) =>
    name === flag
      ? 'A pair without "=" is a name with an empty value: "flag" is { flag: [\'\'] }.'
      : 'Split each pair at its first "=" only: the rest, "=" included, is the value.',
  );
  const empty = echoed(t, await post(t, 'application/x-www-form-urlencoded', ''), 'An empty form is a form with no fields.').fields;
  t.check(isDeepStrictEqual(empty, {}), { summary: 'An empty urlencoded body did not come back as a form with no fields.', expected: '{"fields":{}}', received: JSON.stringify(empty).slice(0, 200), hint: emptyPair });
});

lesson.behaviour('keeps fields named like object properties (__proto__, constructor) as plain fields', async (t) => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__proto__'];
  const values = names.map(() => hex(3));
  const expected: Fields = Object.fromEntries(names.map((name) => [name, names.flatMap((other, i) => (other === name ? [values[i]!] : []))]));
  const hint = (name: string, got: unknown) =>
    got === undefined
      ? `In a plain object {}, fields["${name}"] = […] does not make a field; it may even change the object's prototype. Start from Object.create(null), or use a Map.`
      : `A plain object {} already has "${name}" (from Object.prototype), so "fields[name] ??= []" finds a function, not an array. Start from Object.create(null), or use a Map.`;
  const answered = (response: Received, form: string) => {
    t.check(response.status === 200, {
      summary: `A ${form} with fields named __proto__, constructor, toString and hasOwnProperty was answered ${response.status}, not 200.`,
      expected: '200',
      received: `${response.statusLine} ${response.text.slice(0, 120)}`,
      hint: 'A plain object {} already has "constructor" and "toString" (from Object.prototype), and "__proto__" sets its prototype. Start from Object.create(null), or use a Map.',
    });
    return echoed(t, response);
  };
  const pairs = names.map((name, i) => `${name}=${values[i]}`).join('&');
  expectFields(t, answered(await post(t, 'application/x-www-form-urlencoded', pairs), 'urlencoded form').fields, expected, hint);

  const boundary = `----RoundtripFormBoundary${hex(8)}`;
  const parts: Part[] = names.map((name, i) => ({ name, data: values[i]! }));
  const response = await post(t, `multipart/form-data; boundary=${boundary}`, multipart(boundary, parts), curlForm(parts));
  expectFields(t, answered(response, 'multipart form').fields, expected, hint);
});

// ---- JSON ----------------------------------------------------------------

lesson.behaviour('echoes a JSON object it was sent', async (t) => {
  const value = {
    id: random.int(0, 999999),
    name: `Zoë ${hex(3)}`,
    tags: [hex(2), hex(2)],
    nested: { ok: true, none: null, ratio: random.int(0, 99) / 8 },
  };
  const body = echoed(t, await post(t, 'application/json', JSON.stringify(value)));
  t.check(isDeepStrictEqual(body.json, value), {
    summary: 'The JSON that came back is not the JSON that was sent.',
    expected: JSON.stringify({ json: value }),
    received: JSON.stringify(body).slice(0, 300),
    hint: 'Decode the Buffer as UTF-8 and JSON.parse it; parseBody returns { json: value }.',
  });
  await expectBodiesApart(t);
});

/**
 * Two bodies read at once: the first arrives in two packets, and a whole second request is
 * answered between them. The barriers let the server take in the first head and half its body
 * before the second request is sent (the provided code calls parseBody, so readBody, at once).
 * Each readBody must collect into chunks of its own: one array or count of the module, emptied
 * as a body begins, mixes the two.
 */
async function expectBodiesApart(t: Check): Promise<void> {
  const [first, second] = [{ first: hex(6), n: random.int(0, 999) }, { second: hex(6), n: random.int(1000, 1999) }];
  const text = JSON.stringify(first);
  const half = Math.floor(text.length / 2);
  const request = (json: string) => `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n`;
  let meanwhile: Promise<RawResponse | undefined> | undefined;
  const result = await t.raw([request(text) + text.slice(0, half), text.slice(half)], {
    allowNoResponse: true,
    between: async () => {
      // Node's parser reads the socket itself, so no read count: two turns of the server's event loop.
      // The first packet was there before the first barrier was asked, and the second connection
      // is accepted only in a later turn, so the first body is under way when it arrives.
      await t.server.barrier(limits.barrierMs);
      await t.server.barrier(limits.barrierMs);
      await (meanwhile ??= t.aside(request(JSON.stringify(second)) + JSON.stringify(second)));
    },
  });
  const hint = 'Two requests were being read at the same time. Keep the chunks and the byte count of a body inside readBody (const chunks = [] in the function), not in variables of the module that every request shares.';
  const answer = await meanwhile;
  t.check(answer !== undefined && isDeepStrictEqual(parsed(answer)?.json, second), {
    summary: 'A JSON body read on a second connection, while the first request\'s body was half sent, came back wrong.',
    expected: `200 with ${JSON.stringify({ json: second })}`,
    received: answer ? `${answer.statusLine} ${answer.text.slice(0, 200)}` : '(no answer)',
    hint,
  });
  t.check(result.response !== undefined && result.response.status === 200 && isDeepStrictEqual(parsed(result.response)?.json, first), {
    summary: 'A JSON body that arrived in two packets, with another request answered between them, came back wrong.',
    expected: `200 with ${JSON.stringify({ json: first })}`,
    received: result.response ? `${result.response.statusLine} ${result.response.text.slice(0, 200)}` : result.timedOut ? '(nothing: your server was still waiting)' : '(the connection closed without an answer)',
    hint,
  });
}

lesson.behaviour('reads the media type case-insensitively and ignores parameters like charset', async (t) => {
  const value = { id: hex(4) };
  const json = echoed(
    t,
    await post(t, 'Application/JSON ; charset=UTF-8', JSON.stringify(value)),
    'Media types are case-insensitive, and "; charset=…" is a parameter: compare only what comes before ";", without spaces, in lower case.',
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

lesson.behaviour('reads the boundary parameter in any case, quoted or not, among other parameters', async (t) => {
  const cases: [contentType: (boundary: string) => string, boundary: string, hint: string][] = [
    [
      (b) => `multipart/form-data; charset=utf-8; boundary=${b}; x-note=${hex(2)}`,
      `b${hex(8)}`,
      'The boundary need not be the first parameter, nor the last: look for the one named "boundary", and end its value at the next ";".',
    ],
    [
      (b) => `multipart/form-data; boundary="${b}"`,
      `----=_Part_${hex(4)}.${hex(4)} ${hex(2)}:?`,
      'A parameter value may be a quoted string (RFC 9110, section 5.6.6): the boundary is what is between the quotes, without them, spaces included (RFC 2046 allows a space in a boundary, though not at its end).',
    ],
    [(b) => `multipart/form-data; BOUNDARY=${b}`, `B${hex(8)}`, 'Parameter names are case-insensitive: BOUNDARY= is boundary=.'],
    [(b) => `multipart/form-data;boundary=${b}`, `n${hex(8)}`, 'The space after ";" is optional (RFC 9110, section 5.6.6): ";boundary=" is a parameter too.'],
    // A parameter whose name only ends in "boundary" is another parameter: a pattern that finds "boundary=" anywhere takes its value.
    [
      (b) => `multipart/form-data; x-boundary=d${hex(8)}; boundary=${b}`,
      `r${hex(8)}`,
      'Only the parameter named exactly "boundary" counts: "x-boundary=…" is another parameter. Split the parameters at ";" and compare each whole name, or anchor a pattern at the ";" before the name.',
    ],
  ];
  for (const [contentType, boundary, hint] of cases) {
    const title = hex(4);
    const response = await post(t, contentType(boundary), multipart(boundary, [{ name: 'title', data: title }]));
    t.check(response.status === 200, {
      summary: `A multipart form sent with Content-Type: ${contentType(boundary)} was answered ${response.status}, not 200.`,
      expected: '200',
      received: `${response.statusLine} ${response.text.slice(0, 120)}`,
      hint,
    });
    expectFields(t, echoed(t, response, hint).fields, { title: [title] }, () => hint);
  }
});

// ---- multipart -----------------------------------------------------------

lesson.behaviour('parses the text fields of a multipart form', async (t) => {
  const boundary = `----RoundtripFormBoundary${hex(8)}`;
  const firstTag = hex(3);
  const parts: Part[] = [
    { name: 'title', data: `Zoë's café ${hex(3)}` },
    { name: 'note', data: `line one\r\nline two ${hex(3)}` },
    { name: 'tag', data: firstTag },
    { name: 'tag', data: hex(3) },
    // A text field may be called "filename", and its value may say filename="…": neither makes it a file.
    { name: 'filename', data: `saved as filename="${hex(3)}.txt"` },
    // Spaces and a line break of the value's own, before the delimiter's CRLF: they are part of the value.
    { name: 'padded', data: `  indented ${hex(3)} \r\n` },
    // The same value again is one more value; an empty field (an input left blank) is the value "".
    { name: 'tag', data: firstTag },
    { name: 'blank', data: '' },
  ];
  // Nothing after the closing delimiter, not even a CRLF: "--" boundary "--" ends the body (RFC 2046).
  const form = multipart(boundary, parts);
  const response = await post(t, `multipart/form-data; boundary=${boundary}`, form.subarray(0, form.length - 2), curlForm(parts));
  const body = echoed(t, response, 'This body ends right after its closing delimiter, "--" boundary "--", with no CRLF after it: the "--" after a delimiter ends the body, whatever follows, or nothing.');
  const text = (index: number) => parts[index]!.data as string;
  const expected: Fields = { title: [text(0)], note: [text(1)], tag: [firstTag, text(3), firstTag], filename: [text(4)], padded: [text(5)], blank: [''] };
  const notAFile = 'Only a filename="…" parameter of the part\'s Content-Disposition header makes a part a file: not a field named "filename", nor "filename=" in its value.';
  expectFields(t, body.fields, expected, (name, got) =>
    name === 'padded'
      ? 'This value starts with two spaces and ends with a space and a CRLF of its own, and keeps them: only the CRLF right before "--" + boundary belongs to the delimiter. Cut the value there, and do not trim() it.'
      : /\\r\\n"\]$|\\r\\n"/.test(JSON.stringify(got ?? ''))
        ? 'The value ends with "\\r\\n": that CRLF belongs to the delimiter, "\\r\\n--" + boundary, not to the value.'
        : name === 'filename'
          ? notAFile
          : name === 'tag'
            ? 'Every part is one value, in the order the parts came: a name sent three times has three values, even when two of them are the same.'
            : name === 'blank'
              ? 'A part whose content is empty (its empty line followed at once by the next delimiter) is the field with the value "".'
              : 'Each part: header lines, an empty line, then the value up to CRLF "--" boundary. A value may contain CRLF itself.',
  );
  t.check(isDeepStrictEqual(body.files, []), {
    summary: 'A part without a filename is a text field, not a file.',
    expected: '"files": []',
    received: JSON.stringify(body.files).slice(0, 200),
    hint: notAFile,
  });
});

lesson.behaviour('receives uploaded files byte for byte', async (t) => {
  const boundary = `------------------------${hex(8)}`;
  const title = `Holiday ${hex(3)}`;
  const photo: Part = { name: `upload${hex(2)}`, filename: `photo-${hex(3)}.bin`, contentType: 'application/octet-stream', data: trickyFile(boundary) };
  // No Content-Type of its own: text/plain (RFC 7578, section 4.4). A line of its content that looks
  // like a header is content all the same.
  // Its filename="…" comes before name="…": a search for 'name="' finds the one inside 'filename="' first.
  const notes: Part = { name: 'notes', filename: `notes-${hex(2)}.txt`, data: `Día ${hex(3)}\r\nContent-Type: text/html\r\n`, filenameFirst: true };
  // Header names are case-insensitive, in a part as in a request: "content-type:" is Content-Type.
  const scan: Part = { name: 'scan', filename: `scan-${hex(2)}.png`, contentType: 'image/png', data: `PNG ${hex(8)}`, lowerCaseHeaders: true };
  const parts: Part[] = [{ name: 'title', data: title }, photo, notes, scan];
  const lowerCase = 'The last file\'s part writes its header names in lower case, "content-disposition:" and "content-type:", as some clients do. Header names are case-insensitive, in a part as in a request: compare them in lower case.';
  const response = await post(t, `multipart/form-data; boundary=${boundary}`, multipart(boundary, parts), curlForm(parts));
  const body = echoed(t, response, response.status === 400 ? `Every part of this form is well formed. Note: ${lowerCase}` : undefined);
  expectFields(t, body.fields, { title: [title] }, () => 'A part without a filename is a text field.');

  const files = (Array.isArray(body.files) ? body.files : []) as FileSummary[];
  const expected = [summary(photo), summary(notes), summary(scan)];
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
      hint:
        got.contentType !== label.contentType && label.contentType === 'text/plain'
          ? 'This part has no Content-Type header of its own: then it is text/plain (RFC 7578, section 4.4). The line "Content-Type: text/html" is in its content, after the empty line: look for headers only before the first empty line.'
          : want.filename === scan.filename
            ? lowerCase
            : want.filename === notes.filename && got.field !== label.field
              ? 'This part\'s Content-Disposition is form-data; filename="…"; name="notes": parameters come in any order, and the "name=" inside "filename=" is not the name parameter. Split the parameters at ";" and compare each whole name.'
              : 'name and filename come from Content-Disposition; contentType from the part\'s own Content-Type header.',
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

lesson.behaviour('splits multipart only at CRLF "--" boundary, and ignores what follows the closing delimiter', async (t) => {
  const boundary = `----RoundtripFormBoundary${hex(8)}`;
  const inline = `see --${boundary} here ${hex(2)}, and --${boundary}-- there`;
  const dashes = `-- dashes -- ${hex(2)} --`;
  const form = multipart(boundary, [
    { name: 'inline', data: inline },
    { name: 'dashes', data: dashes },
  ]);
  // After the closing delimiter comes the epilogue, which a reader ignores (RFC 2046), even when it looks like a part.
  const epilogue = `\r\n--${boundary}\r\nContent-Disposition: form-data; name="after"\r\n\r\nlate\r\n--${boundary}--\r\n`;
  const response = await post(t, `multipart/form-data; boundary=${boundary}`, Buffer.concat([form, Buffer.from(epilogue)]));
  const midLine = 'A delimiter is CRLF, "--" and the boundary: "--" + boundary in the middle of a line is just text, with or without "--" after it.';
  const fields = echoed(t, response, midLine).fields;
  t.check(!Object.hasOwn((fields ?? {}) as object, 'after'), {
    summary: 'What follows the closing delimiter (the epilogue) was read as one more part.',
    expected: JSON.stringify({ inline: [inline], dashes: [dashes] }),
    received: JSON.stringify(fields).slice(0, 300),
    hint: '"--" right after a delimiter ends the whole body: stop there, whatever comes after it (RFC 2046, section 5.1.1).',
  });
  expectFields(t, fields, { inline: [inline], dashes: [dashes] }, (name, got) =>
    name === 'inline' || got === undefined
      ? midLine
      : 'Only CRLF "--" boundary separates parts.',
  );

  // CRLF "--" boundary, then neither CRLF nor "--": a text line (200) or a malformed body (400),
  // never a delimiter whose next two bytes are skipped unseen, making the rest of the line a header.
  const title = hex(3);
  const junk = pick(['zz', 'x-', '0!']);
  const smuggled = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${title}` +
      `\r\n--${boundary}${junk}Content-Disposition: form-data; name="evil"\r\n\r\n${hex(3)}\r\n--${boundary}--\r\n`,
  );
  const odd = await post(t, `multipart/form-data; boundary=${boundary}`, smuggled);
  const oddFields = (parsed(odd)?.fields ?? {}) as object;
  t.check((odd.status === 200 || odd.status === 400) && !Object.hasOwn(oddFields, 'evil'), {
    summary: `A line of "--" + boundary + "${junk}" was read as a delimiter starting a part, and the rest of that line as the part's headers.`,
    expected: '400 (a malformed body), or 200 keeping that line as text, with no field "evil"',
    received: `${odd.statusLine} ${odd.text.slice(0, 200)}`,
    hint: 'After a delimiter comes "\\r\\n" (another part) or "--" (the end of the body): look at those two bytes before you skip them. Anything else is no delimiter, or a malformed body (400).',
  });
});

lesson.behaviour('keeps only the last part of a file name that holds a path', async (t) => {
  const boundary = `------------------------${hex(8)}`;
  const [job, photo, user] = [`job-${hex(3)}`, `photo-${hex(3)}.jpg`, hex(3)];
  const [dotfile, version, quoted] = [`.${hex(3)}rc`, `notes-${hex(3)}..v2.txt`, `draft; v2=final ${hex(3)}.txt`];
  // A third entry is another right answer: RFC 7578 (section 4.2) lets a client percent-encode a file name,
  // so a server may decode it, first, and then cut the path off what it decoded.
  const sent: [sent: string, kept: string, decodedFirst?: string][] = [
    [`../../etc/cron.d/${job}`, job],
    [`C:\\Users\\${user}\\Desktop\\${photo}`, photo],
    // Both separators in one name: the last of either ends the path, "/" before it or not.
    [`../${user}\\..\\${job}.sh`, `${job}.sh`],
    [`/home/${user}/.ssh/authorized_keys`, 'authorized_keys'],
    ['..', ''],
    [`${user}/.`, ''],
    [`plain-${user}.txt`, `plain-${user}.txt`],
    // Dots are not paths: a name that starts with one, or holds "..", is kept whole.
    [`/home/${user}/${dotfile}`, dotfile],
    [version, version],
    // A quoted value runs to its closing quote: ";" and "=" inside it are part of the name.
    [quoted, quoted],
    // A file input left empty: browsers send filename="", and the part is still a file.
    ['', ''],
    // Percent-escapes are no separators: kept as sent, or decoded before the path is cut off, never after.
    [`..%2F..%2F${job}.sh`, `..%2F..%2F${job}.sh`, `${job}.sh`],
    ['%2E%2E', '%2E%2E', ''],
  ];
  const parts: Part[] = sent.map(([filename], i) => ({ name: `file${i}`, filename, contentType: 'text/plain', data: hex(4) }));
  const response = await post(t, `multipart/form-data; boundary=${boundary}`, multipart(boundary, parts), curlForm(parts));
  const body = echoed(t, response);
  const files = (Array.isArray(body.files) ? body.files : []) as FileSummary[];
  for (const [index, [filename, kept, decodedFirst]] of sent.entries()) {
    const got = files.find((file) => file?.field === `file${index}`)?.filename;
    t.check(got === kept || (decodedFirst !== undefined && got === decodedFirst), {
      summary: `The file sent as filename="${filename}" came back as ${JSON.stringify(got ?? '(missing)')}.`,
      expected: decodedFirst === undefined ? JSON.stringify(kept) : `${JSON.stringify(kept)} (kept as sent) or ${JSON.stringify(decodedFirst)} (decoded, then cut)`,
      received: JSON.stringify(got ?? '(missing)'),
      hint:
        decodedFirst !== undefined
          ? 'A name decoded after its path was cut off gets its "/" or ".." back ("%2F" is "/", "%2E%2E" is ".."): keep the escapes as they are, or decode first and then keep only what follows the last "/" or "\\".'
          : filename === ''
          ? 'A part with filename="" (a file input left empty, as browsers send it) is still a file: test whether the parameter is there (!== undefined), not whether it is truthy.'
          : kept === ''
          ? '"." and ".." are not names of a file: keep an empty filename instead.'
          : kept === dotfile || kept === version
            ? 'Only "/" and "\\" separate a path: keep everything after the last one, dots included. Only a name that is exactly "." or ".." becomes "".'
            : kept === quoted
              ? 'filename="…" is a quoted string: it ends at its closing quote, and a ";" or "=" inside it is part of the name. Splitting the header at every ";" cuts it short.'
            : 'The client chose the filename, path and all. Keep only what follows the last "/" or "\\", so that nobody can write outside a folder you save uploads in.',
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

  // The same size again, chunked: no Content-Length to go by, so only the count can tell, and it is not over.
  const chunkedJson = `{"pad":"${'c'.repeat(limit - 10)}"}`;
  const chunked = await sendRaw(
    t,
    [...chunkedWithoutEnd('application/json', chunkedJson), '0\r\n\r\n'],
    `printf '{"pad":"%s"}' "$(head -c ${limit - 10} /dev/zero | tr '\\0' c)" | curl -v -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @- ${url}`,
  );
  const noLength =
    "A chunked body has no Content-Length: req.headers['content-length'] is undefined, Number(undefined) is NaN, and a test such as !(length <= limit) or (length ?? Infinity) > limit refuses it. Refuse up front only a Content-Length that is there and over the limit; count the bytes of the rest as they arrive.";
  if (!chunked.response) {
    return t.fail({
      summary: `No answer came to a chunked body of exactly ${limit} bytes, ended by its last, empty chunk.`,
      expected: 'HTTP/1.1 200 OK',
      received: chunked.timedOut ? '(nothing: your server was still waiting)' : '(the connection closed without an answer)',
      hint: "Resolve on 'end', which comes after the last, empty chunk.",
    });
  }
  t.check(chunked.response.status === 200, {
    summary: `A chunked body of exactly ${limit} bytes was answered ${chunked.response.status}, not 200.`,
    expected: '200',
    received: `${chunked.response.statusLine} ${chunked.response.text.slice(0, 120)}`,
    hint: chunked.response.status === 413 ? noLength : `The body was exactly ${limit} bytes: that is allowed. Refuse only what is larger than the limit.`,
  });
  const chunkedPad = (echoed(t, chunked.response).json as { pad?: unknown } | undefined)?.pad;
  t.check(typeof chunkedPad === 'string' && chunkedPad.length === limit - 10, {
    summary: 'The JSON that came back from the chunked body is not the JSON that was sent.',
    expected: `{"json":{"pad":"ccc… (${limit - 10} characters)"}}`,
    received: JSON.stringify(chunked.response.text.slice(0, 120)),
    hint: 'Collect every chunk and Buffer.concat them once the body has ended.',
  });
});

lesson.behaviour('answers 413 when Content-Length is over the limit, before the body arrives', async (t) => {
  // One byte over the limit, and only the head is sent: not a byte of the body arrives, so no
  // 'data' event ever fires. A server that looks at Content-Length only once a chunk is in never answers.
  const length = limit + 1;
  const head = `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
  const { response, timedOut, closed } = await sendRaw(t, [head], netcatCommand(head));
  if (!response) {
    return t.fail({
      summary: timedOut
        ? `No answer came to a head that announced Content-Length: ${length}, one byte more than the limit of ${limit}, and no byte of the body was sent.`
        : 'Your server closed the connection without answering.',
      expected: 'HTTP/1.1 413 Content Too Large, as soon as the head has arrived',
      received: timedOut ? '(nothing: your server was still waiting for the body)' : `(the connection ${closed ? 'closed' : 'failed'})`,
      hint: "Compare Content-Length with the limit before you read a single chunk, not in the 'data' handler: a client that announces too much is refused at once, before any of its body arrives.",
    });
  }
  expectRefused(t, response, 413, 'A body larger than the limit gets 413 Content Too Large: throw new HttpError(413, …).');
  await expectStillAnswering(t);
});

/** A chunked request of `body`, without the last, empty chunk: the body never ends. */
function chunkedWithoutEnd(contentType: string, text: string): (string | Buffer)[] {
  const body = Buffer.from(text);
  const chunks: (string | Buffer)[] = [`POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n\r\n`];
  for (let at = 0; at < body.length; at += 65_536) {
    const piece = body.subarray(at, at + 65_536);
    chunks.push(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
  }
  return chunks;
}

lesson.behaviour('answers 413 when a chunked body grows over the limit', async (t) => {
  // "é" is two bytes: a server that counts characters sees half of them. And the last chunk
  // never comes: a server that counts as the bytes arrive answers anyway, one that waits for
  // the end of the body before it counts waits forever.
  const letters = (limit >> 1) + random.int(1, 4095);
  const size = 2 * letters + 2;
  const chunks = chunkedWithoutEnd('application/json', `"${'é'.repeat(letters)}"`);
  const shownAs = `python3 -c 'print("\\"" + "é" * ${letters} + "\\"", end="")' | curl -v -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @- ${url}`;
  const { response, timedOut } = await sendRaw(t, chunks, shownAs);
  if (!response) {
    return t.fail({
      summary: timedOut
        ? `No answer came in time to a chunked body of ${size} bytes (${letters + 2} characters), larger than the limit.`
        : 'Your server closed the connection without answering the oversized chunked body.',
      expected: 'HTTP/1.1 413 Content Too Large',
      received: '(no response)',
      hint: timedOut
        ? 'Add up chunk.length (bytes, not characters) as each chunk arrives, and answer 413 as soon as the count passes the limit, without waiting for the end of the body: a client that sends too much may never stop.'
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

/** A form and an upload of exactly the limit are read whole: the same limit, not a smaller one, for every media type. */
async function expectFormsAtLimitAccepted(t: Check, boundary: string): Promise<void> {
  const sameLimit = `The body was exactly ${limit} bytes, as many as a JSON body may have: every media type gets the same limit, BODY_LIMIT, and only a larger body is refused.`;
  const name = `f${hex(2)}`;
  const form = echoed(t, await post(t, 'application/x-www-form-urlencoded', `${name}=${'b'.repeat(limit - name.length - 1)}`, `head -c ${limit - name.length - 1} /dev/zero | tr '\\0' b | sed 's/^/${name}=/' | curl -v --data-binary @- ${url}`), sameLimit);
  const value = ((form.fields ?? {}) as Record<string, unknown>)[name];
  t.check(Array.isArray(value) && typeof value[0] === 'string' && value[0].length === limit - name.length - 1, {
    summary: `A urlencoded form of exactly ${limit} bytes did not come back whole.`,
    expected: `"${name}": ["bbb… (${limit - name.length - 1} characters)"]`,
    received: JSON.stringify(form).slice(0, 120),
  });
  const filename = `clip-${hex(2)}.mp4`;
  const file = (size: number): Part => ({ name: 'video', filename, contentType: 'video/mp4', data: Buffer.alloc(size, 'v') });
  const size = limit - multipart(boundary, [file(0)]).length;
  const part = file(size);
  const upload = echoed(t, await post(t, `multipart/form-data; boundary=${boundary}`, multipart(boundary, [part]), `head -c ${size} /dev/zero | tr '\\0' v > clip.mp4; curl -v -F video=@clip.mp4 ${url}`), sameLimit);
  const files = (Array.isArray(upload.files) ? upload.files : []) as FileSummary[];
  t.check(files.length === 1 && files[0]?.size === size, {
    summary: `The file of a multipart upload of exactly ${limit} bytes did not come back whole.`,
    expected: `one file of ${size} bytes`,
    received: JSON.stringify(upload.files).slice(0, 200),
  });
}

/** A head that announces one byte over the limit, and the start of its body: a 413 at once, without the rest. */
async function expectAnnouncedRefused(t: Check, contentType: string, start: string, what: string, hint: string): Promise<void> {
  const length = limit + 1;
  const head = `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`;
  const sent = await sendRaw(t, [head, start], netcatCommand(head + start.slice(0, 120)));
  if (!sent.response) {
    return t.fail({
      summary: `No answer to ${what} that announced Content-Length: ${length}, one byte more than the limit of ${limit}.`,
      expected: 'HTTP/1.1 413 Content Too Large, as soon as the head has arrived',
      received: sent.timedOut ? '(nothing: your server was still waiting for the body)' : '(the connection closed without an answer)',
      hint,
    });
  }
  expectRefused(t, sent.response, 413, hint, `${what} of ${length} bytes`);
}

lesson.behaviour('applies the 1 MiB limit to forms and multipart bodies too', async (t) => {
  const boundary = `----RoundtripFormBoundary${hex(8)}`;
  await expectFormsAtLimitAccepted(t, boundary);
  // A multipart upload and a form that announce one byte too many: only their start is sent.
  const readAll = 'Every media type is read with readBody(req, BODY_LIMIT): an upload is no exception, or one client can fill your memory.';
  const start = `--${boundary}\r\nContent-Disposition: form-data; name="video"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n${'v'.repeat(1000)}`;
  await expectAnnouncedRefused(t, `multipart/form-data; boundary=${boundary}`, start, 'a multipart upload', readAll);
  await expectAnnouncedRefused(t, 'application/x-www-form-urlencoded', `a=${'b'.repeat(1000)}`, 'a urlencoded form', `${readAll} A form too: refuse a Content-Length over the limit before reading a byte, whatever the media type.`);

  // A urlencoded form sent chunked, which grows past the limit and never ends.
  const form = `a=${'b'.repeat(limit + random.int(1, 8191))}`;
  const chunked = await sendRaw(t, chunkedWithoutEnd('application/x-www-form-urlencoded', form), `head -c ${form.length - 2} /dev/zero | tr '\\0' b | sed 's/^/a=/' | curl -v -H 'Transfer-Encoding: chunked' --data-binary @- ${url}`);
  if (!chunked.response) {
    return t.fail({
      summary: 'No answer to a chunked form that grew past the limit.',
      expected: 'HTTP/1.1 413 Content Too Large',
      received: chunked.timedOut ? '(nothing: your server was still reading)' : '(the connection closed without an answer)',
      hint: readAll,
    });
  }
  expectRefused(t, chunked.response, 413, readAll, `a chunked form of ${form.length} bytes`);

  // An upload sent chunked, with no Content-Length to refuse up front: only counting its bytes stops it.
  const video = `${start}${'v'.repeat(limit + random.int(1, 8191))}`;
  const stream = await sendRaw(t, chunkedWithoutEnd(`multipart/form-data; boundary=${boundary}`, video), `head -c ${limit + 1000} /dev/zero | tr '\\0' v > big.mp4; curl -v -H 'Transfer-Encoding: chunked' -F video=@big.mp4 ${url}`);
  if (!stream.response) {
    return t.fail({
      summary: 'No answer to a chunked multipart upload that grew past the limit.',
      expected: 'HTTP/1.1 413 Content Too Large',
      received: stream.timedOut ? '(nothing: your server was still reading)' : '(the connection closed without an answer)',
      hint: `${readAll} A chunked upload announces no Content-Length: count its bytes as they arrive, as for any other body.`,
    });
  }
  expectRefused(t, stream.response, 413, readAll, `a chunked multipart upload of ${video.length} bytes`);
  await expectStillAnswering(t);
});

lesson.behaviour('refuses a form of more than 1000 fields with 400, urlencoded or multipart', async (t) => {
  // Names repeat: the limit counts name=value pairs, not distinct names. Every fourth pair is a
  // bare name without "=" ("a&a&a…"): a field all the same, with the value '', and it counts too.
  const names = Array.from({ length: 10 }, () => `f${hex(3)}`);
  const pairs = (count: number) => Array.from({ length: count }, (_, i) => (i % 4 === 3 ? names[i % names.length] : `${names[i % names.length]}=${i}`)).join('&');
  const values = (fields: unknown) => Object.values((fields ?? {}) as Record<string, unknown>).reduce<number>((sum, list) => sum + (Array.isArray(list) ? list.length : 0), 0);

  // A trailing "&" makes an empty pair, which is no field: it must not count.
  const atLimit = echoed(
    t,
    await post(t, 'application/x-www-form-urlencoded', `${pairs(fieldLimit)}&`),
    `${fieldLimit} fields (and a trailing "&", an empty pair that is no field) are allowed: count the name=value pairs once the empty ones are left out, and refuse only more than ${fieldLimit}.`,
  );
  t.check(values(atLimit.fields) === fieldLimit, {
    summary: `${fieldLimit} values were sent, ${values(atLimit.fields)} came back.`,
    expected: `${fieldLimit} values`,
    received: `${values(atLimit.fields)} values`,
  });
  const countPairs = `Count the name=value pairs (${fieldLimit + 1} here, over only ${names.length} names): a repeated name counts each time, and so does a bare name without "=", which is a field with the value ''.`;
  expectRefused(
    t,
    await post(t, 'application/x-www-form-urlencoded', pairs(fieldLimit + 1)),
    400,
    `More than ${fieldLimit} fields is a 400. ${countPairs}`,
    `a urlencoded form of ${fieldLimit + 1} fields`,
  );

  // In multipart, every part is a field, files included (RFC 7578).
  const boundary = `----RoundtripFormBoundary${hex(8)}`;
  const files: Part[] = [0, 1].map((i) => ({ name: `file${i}`, filename: `f${i}-${hex(2)}.txt`, contentType: 'text/plain', data: hex(3) }));
  const parts = (count: number): Part[] => [...files, ...Array.from({ length: count - files.length }, (_, i) => ({ name: names[i % names.length]!, data: String(i) }))];
  const many = echoed(
    t,
    await post(t, `multipart/form-data; boundary=${boundary}`, multipart(boundary, parts(fieldLimit)), `curl -v -F … (${fieldLimit} parts) ${url}`),
    `${fieldLimit} parts are allowed: refuse only more than that.`,
  );
  t.check(values(many.fields) === fieldLimit - files.length && Array.isArray(many.files) && many.files.length === files.length, {
    summary: `A multipart form of ${fieldLimit - files.length} text fields and ${files.length} files did not come back whole.`,
    expected: `${fieldLimit - files.length} values and ${files.length} files`,
    received: `${values(many.fields)} values and ${Array.isArray(many.files) ? many.files.length : 0} files`,
  });
  expectRefused(
    t,
    await post(t, `multipart/form-data; boundary=${boundary}`, multipart(boundary, parts(fieldLimit + 1)), `curl -v -F … (${fieldLimit + 1} parts) ${url}`),
    400,
    `A multipart body of more than ${fieldLimit} parts is a 400 as well. Every part counts, a file too.`,
    `a multipart form of ${fieldLimit + 1} parts (${files.length} of them files)`,
  );
  await expectStillAnswering(t);
});

/**
 * Many arrays and objects side by side, never more than 3 deep: the depth is the longest chain
 * of brackets inside one another, so a count that only goes up (every "[" or "{" in the text),
 * or that goes down on one kind of closing bracket only, refuses it.
 */
async function expectWideJsonAccepted(t: Check): Promise<void> {
  const rows = Array.from({ length: depthLimit + random.int(20, 60) }, (_, i) => ({ id: i, tags: [hex(1)] }));
  const wide = { rows };
  const side = echoed(
    t,
    await post(t, 'application/json', JSON.stringify(wide), `curl -v -H 'Content-Type: application/json' -d '{"rows":[{"id":0,"tags":["…"]},{"id":1,"tags":["…"]},… (${rows.length} rows)]}' ${url}`),
    `This JSON holds ${rows.length} objects side by side in one array, each with an array inside: ${2 * rows.length + 1} brackets in all, but only 3 levels deep. The depth goes up at every "[" or "{" and down again at every "]" or "}": count the levels inside one another, not the brackets.`,
  );
  t.check(isDeepStrictEqual(side.json, wide), {
    summary: `The JSON of ${rows.length} objects side by side that came back is not the JSON that was sent.`,
    expected: JSON.stringify({ json: wide }).slice(0, 200),
    received: JSON.stringify(side).slice(0, 200),
  });
}

lesson.behaviour('refuses JSON nested more than 100 levels deep with 400', async (t) => {
  // Arrays and objects in turn, each one level, the deep branch after a plain sibling:
  // [1,{"n":2,"k…":[3,{"n":4,"k…":…}]}] (the depth is that of the deepest branch, wherever it is).
  const keys = Array.from({ length: depthLimit + 1 }, () => `k${hex(2)}`);
  const nested = (levels: number): unknown => {
    let value: unknown = hex(3);
    for (let level = levels; level > 0; level--) value = level % 2 ? [level, value] : { n: level, [keys[level]!]: value };
    return value;
  };
  const deepest = nested(depthLimit);
  const body = echoed(t, await post(t, 'application/json', JSON.stringify(deepest)), `JSON ${depthLimit} levels deep is allowed: refuse only deeper.`);
  t.check(isDeepStrictEqual(body.json, deepest), {
    summary: `The JSON ${depthLimit} levels deep that came back is not the JSON that was sent.`,
    expected: JSON.stringify({ json: deepest }).slice(0, 200),
    received: JSON.stringify(body).slice(0, 200),
  });
  await expectWideJsonAccepted(t);
  const tooDeep = `Count the arrays and objects inside one another, and throw new HttpError(400, …) past ${depthLimit}. JSON.parse accepts any depth; JSON.stringify, which echoes it, runs out of stack.`;
  expectRefused(t, await post(t, 'application/json', JSON.stringify(nested(depthLimit + 1))), 400, tooDeep, `JSON nested ${depthLimit + 1} levels deep`);
  // 10 KB, 5,000 levels: enough to overflow JSON.stringify.
  expectRefused(t, await post(t, 'application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`, `printf '%.0s[' {1..5000} …`), 400, tooDeep, 'an array nested 5,000 levels deep');
  // 500 KB, 250,000 levels (JSON.parse reads them without recursing): a depth count that walks the
  // whole document recursively runs out of stack long before the end, and its RangeError becomes a 500.
  const deep = 250_000;
  expectRefused(
    t,
    await post(t, 'application/json', `${'['.repeat(deep)}${']'.repeat(deep)}`, `python3 -c "print('[' * ${deep} + ']' * ${deep}, end='')" | curl -v -H 'Content-Type: application/json' --data-binary @- ${url}`),
    400,
    `Stop going down as soon as you are past ${depthLimit} levels: a function that first measures the whole depth, recursing into every level, runs out of stack on ${deep.toLocaleString('en')} of them.`,
    `an array nested ${deep.toLocaleString('en')} levels deep`,
  );

  // Brackets in a string are text, not levels, even after an escaped quote (\") inside it.
  const text = { note: `say "${'[{'.repeat(depthLimit)}" ${hex(2)} ${'}]'.repeat(3)}` };
  const quoted = echoed(
    t,
    await post(t, 'application/json', JSON.stringify(text)),
    'The depth is that of the arrays and objects, not of the brackets inside strings. An escaped quote (\\") does not end a string: if you scan the text, skip the character after every backslash.',
  );
  t.check(isDeepStrictEqual(quoted.json, text), { summary: 'The JSON that came back is not the JSON that was sent.', expected: JSON.stringify({ json: text }), received: JSON.stringify(quoted).slice(0, 200) });
  // A string that ends in an escaped backslash ("C:\\dir\\") does end at the quote after it: the arrays that follow count.
  const afterBackslash = `["C:\\\\${hex(2)}\\\\",${'['.repeat(depthLimit)}${random.int(0, 9)}${']'.repeat(depthLimit)}]`;
  expectRefused(
    t,
    await post(t, 'application/json', afterBackslash),
    400,
    `In the JSON text "C:\\\\…\\\\", the last backslash is escaped by the one before it, so the quote after them ends the string, and the ${depthLimit} arrays after it, inside the outer one, make ${depthLimit + 1} levels. If you scan the text, skip the character after every backslash rather than look at the one before a quote.`,
    `JSON nested ${depthLimit + 1} levels deep after a string that ends in an escaped backslash`,
  );
  await expectStillAnswering(t);
});

// ---- refusing what cannot be read ---------------------------------------

lesson.behaviour('answers 415 for a Content-Type it cannot read', async (t) => {
  // Every one of them, every run: text/plain is the third enctype an HTML form may use, and still none of ours.
  for (const type of ['text/xml', 'application/xml', 'text/csv', 'text/plain']) {
    expectRefused(t, await post(t, type, `<note>${hex(4)}</note>`), 415, `Only three media types have a parser; "${type}" is none of them: 415 Unsupported Media Type.`, `a body of type ${type}`);
  }
  // Lookalikes: the whole media type must match, not its start.
  const boundary = `b${hex(6)}`;
  // The two the lesson names, and one more for each of the other types: the lesson's list is not the whole rule.
  const lookalikes: [string, string | Buffer][] = [
    ['application/json-patch+json', JSON.stringify([{ op: 'remove', path: `/${hex(2)}` }])],
    [`multipart/mixed; boundary=${boundary}`, multipart(boundary, [{ name: 'title', data: hex(3) }])],
    [`application/x-www-form-urlencoded-${pick(['v2', 'x', hex(2)])}`, `title=${hex(3)}`],
    [`multipart/form-data-${pick(['v2', 'x', hex(2)])}; boundary=${boundary}`, multipart(boundary, [{ name: 'title', data: hex(3) }])],
  ];
  for (const [lookalike, body] of lookalikes) {
    const mediaType = lookalike.split(';')[0];
    expectRefused(t, await post(t, lookalike, body), 415, `"${mediaType}" only starts like a type you read: compare the whole media type.`, `a body of type ${mediaType}`);
  }
  expectRefused(t, await post(t, undefined, `hello ${hex(4)}`), 415, 'A body without a Content-Type cannot be read either: 415. (req.headers["content-type"] may be undefined.)');
  // A name every plain object has: a table of parsers in {} finds Object.prototype.constructor for it.
  // It has no "/", so it is no media type at all: 400 for a broken header is right too.
  const odd = await post(t, 'constructor', `{"id":"${hex(3)}"}`);
  t.check(odd.status === 415 || odd.status === 400, {
    summary: `A body with "Content-Type: constructor" was answered ${odd.status}, not 415.`,
    expected: '415 (or 400: "constructor" has no "/", so it is no media type)',
    received: `${odd.statusLine} ${odd.text.slice(0, 120)}`,
    hint: 'A plain object {} has "constructor" (from Object.prototype), so a table of parsers in {} finds a function for it: keep the table in a Map or Object.create(null), or compare with switch or ===.',
  });
  await expectStillAnswering(t);
});

lesson.behaviour('answers 400 for malformed JSON', async (t) => {
  const id = hex(3);
  // Each of them, every run: a parser lenient with one kind of mistake must not pass by chance.
  for (const bad of [`{"id": "${id}",}`, `{"id": "${id}"`, `{'id': '${id}'}`, `{"id": ${id}x}`]) {
    expectRefused(t, await post(t, 'application/json', bad), 400, 'JSON.parse throws a SyntaxError on malformed JSON: catch it and throw new HttpError(400, …) instead.', `the malformed JSON ${bad}`);
  }
  await expectStillAnswering(t);
});

lesson.behaviour('answers 400 for multipart/form-data without a boundary', async (t) => {
  const body = multipart(`b${hex(6)}`, [{ name: 'title', data: hex(3) }]);
  // A body that an empty boundary would split: delimiters of "--" and nothing more.
  const emptyBoundary = multipart('', [{ name: 'title', data: hex(3) }]);
  const cases: [string, Buffer][] = [
    ['multipart/form-data', body],
    ['multipart/form-data; charset=utf-8', body],
    ['multipart/form-data; boundary=""', emptyBoundary],
  ];
  for (const [type, sent] of cases) {
    expectRefused(
      t,
      await post(t, type, sent),
      400,
      'Without boundary=… in the Content-Type (or with an empty one) there is no telling where one part ends: throw new HttpError(400, …).',
    );
  }
  await expectStillAnswering(t);
});

/** Bodies that break their format, each with what to call it and, where it helps, a hint of its own. */
function malformedBodies(boundary: string): [what: string, contentType: string, body: string, hint?: string][] {
  const type = `multipart/form-data; boundary=${boundary}`;
  const disposition = 'Content-Disposition: form-data; name="a"';
  return [
    ['a multipart body that never contains its boundary', type, `--other\r\n${disposition}\r\n\r\n1\r\n--other--\r\n`],
    ['a multipart body whose only line is a closing delimiter one character short', type, `--${boundary.slice(0, -1)}--\r\n`],
    ['a multipart body cut off before its closing boundary', type, `--${boundary}\r\n${disposition}\r\n\r\n1${hex(2)}`],
    ['a multipart part without Content-Disposition', type, `--${boundary}\r\nContent-Type: text/plain\r\n\r\n1\r\n--${boundary}--\r\n`],
    ['a multipart part without a name', type, `--${boundary}\r\nContent-Disposition: form-data\r\n\r\n1\r\n--${boundary}--\r\n`],
    ['a multipart part without the empty line after its headers', type, `--${boundary}\r\n${disposition}\r\n--${boundary}--\r\n`],
    // The same, before a good part: the empty line that ends a part's headers must be inside that part.
    [
      'a multipart part without the empty line after its headers, followed by a good part',
      type,
      `--${boundary}\r\n${disposition}\r\n--${boundary}\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--${boundary}--\r\n`,
      'The first part has no empty line before the next delimiter. Look for the empty line ("\\r\\n\\r\\n") only inside the part, between its delimiter and the next one: the one further on ends the next part\'s headers.',
    ],
    // Its last delimiter is not followed by "--": the body ends without its closing delimiter.
    [
      'a multipart body whose last delimiter has no "--" after it',
      type,
      `--${boundary}\r\n${disposition}\r\n\r\n1\r\n--${boundary}`,
      'After a delimiter comes "\\r\\n" (another part) or "--" (the end of the body), and nothing else: a body that stops right after "--" + boundary was cut off before its closing delimiter.',
    ],
    ['an empty JSON body', 'application/json', ''],
  ];
}

lesson.behaviour('answers other malformed bodies with 400 and keeps running', async (t) => {
  const cases = malformedBodies(`b${hex(6)}`);
  for (const [what, contentType, body, caseHint] of cases) {
    const response = await post(t, contentType, body);
    t.check(response.status === 400, {
      summary: `${what[0]!.toUpperCase()}${what.slice(1)} was answered ${response.status}, not 400 Bad Request.`,
      expected: '400',
      received: `${response.statusLine} ${response.text.slice(0, 120)}`,
      hint:
        response.status === 500
          ? 'An error escaped from your parser. Check each thing you expect before you use it, and throw new HttpError(400, …) when it is not there.'
          : (caseHint ?? 'A body that does not follow the format is the client\'s mistake: 400.'),
    });
  }
  // Broken escapes: a lenient parser may keep them as they are (200); a strict one says 400. Never 500.
  // "%4g" has one hex digit: no escape (parseInt("4g", 16) is 4, but it is not one).
  const digit = pick([...'0123456789abcdefABCDEF']);
  const escapes = await post(t, 'application/x-www-form-urlencoded', `a=%zz&b=%E9&c=${hex(2)}&d=%${digit}g`);
  t.check(escapes.status === 200 || escapes.status === 400, {
    summary: `A form with broken %-escapes ("%zz", "%E9") was answered ${escapes.status}.`,
    expected: '200 (keeping them as they are) or 400',
    received: `${escapes.statusLine} ${escapes.text.slice(0, 120)}`,
    hint: 'decodeURIComponent throws a URIError on a broken escape: catch it.',
  });
  if (escapes.status === 200) {
    const kept = (parsed(escapes)?.fields ?? {}) as Record<string, unknown>;
    t.check(isDeepStrictEqual(kept.a, ['%zz']) && isDeepStrictEqual(kept.d, [`%${digit}g`]) && Array.isArray(kept.b) && kept.b.length === 1 && typeof kept.b[0] === 'string', {
      summary: 'A form with broken %-escapes was answered 200, but the broken values did not come back as they were sent.',
      expected: `"a": ["%zz"], "d": ["%${digit}g"], "b": one string (answer 400 instead if you refuse broken escapes)`,
      received: JSON.stringify(kept).slice(0, 200),
      hint: 'A broken escape is either kept as it is, the way URLSearchParams does, or refused with 400: never dropped or turned into something else. An escape is "%" and two hex digits: check both (parseInt("4g", 16) is 4).',
    });
  }
  // A client that gives up halfway through its upload.
  const head = `POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n`;
  await sendRaw(t, [head, '{"a":"'], netcatCommand(head + '{"a":"'), 100);
  await expectStillAnswering(t);
});
