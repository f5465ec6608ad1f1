// Lesson 06: compose() builds the middleware onion. The server wraps a view in
// three traced layers (outer, middle, inner); each writes the journey so far
// into X-Onion. The trace shows who ran, in which order; the header shows what
// each layer saw on its way out. Paths are random, so only a real chain passes.
import { stoppedByMiddle } from '../../provided/fixtures/06-middleware.ts';
import { type Check, gradeLesson, header, limits, type Received } from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

const word = () => random.hex(3);
const randomPath = () => `/page-${word()}`;
const layers = ['outer', 'middle', 'inner'];
const fullJourney = 'outer:in, middle:in, inner:in, view, inner:out, middle:out, outer:out';

/** The trace of the last request, as a journey like X-Onion's: "outer:in, …, view, …, outer:out". */
function traced(t: Check): string[] {
  return t.lastTrace
    .filter((e) => e.stage === 'middleware:in' || e.stage === 'middleware:out' || e.stage === 'view')
    .map((e) => (e.stage === 'view' ? 'view' : `${e.name}:${e.stage === 'middleware:in' ? 'in' : 'out'}`));
}

// The lesson's words, or others that say the same: "next() called a second time", "next() already called".
const saysCalledTwice = (line: string) => /next\b.*\b(multiple|twice|more than once|again|second|already)\b/i.test(line);
const show = (steps: string[]) => (steps.length ? steps.join(', ') : '(no middleware and no view ran)');

function expectOnion(t: Check, response: Received, expected: string, hint: string): void {
  t.expectHeader(response, 'X-Onion', expected, hint);
}

/** A traced GET of `path` that must answer `status` after the whole journey through the layers. */
async function expectFullJourney(t: Check, path: string, [status, statusHint]: [number, string], onionHint: string): Promise<void> {
  const response = await t.request({ path, trace: true });
  t.expectStatus(response, status, statusHint);
  expectOnion(t, response, fullJourney, onionHint);
}

lesson.behaviour('runs the view inside every layer', async (t) => {
  // Three requests, two of them for the same path: the chain is built once and
  // must serve every request, not just the first one (or the first for each path).
  const again = randomPath();
  for (const [index, path] of [again, randomPath(), again].entries()) {
    const response = await t.request({ path, trace: true });
    const steps = traced(t);
    const shape = steps.map((s) => (s === 'view' ? 'view' : s.endsWith(':in') ? 'in' : 'out')).join(' ');
    t.check(shape === 'in in in view out out out', {
      summary: index
        ? `Request ${index + 1} did not run the view inside all three layers, exactly once, although an earlier request did.`
        : 'The view did not run inside all three layers, exactly once.',
      expected: 'three layers in, the view, three layers out',
      received: show(steps),
      hint: index
        ? 'The chain is shared by every request: remember who called next per request (a WeakSet of Request objects), not once for all nor per path.'
        : 'Each layer gets as `next` the handler made of everything inside it; the innermost `next` is the view.',
    });
    t.expectStatus(response, 200, 'The view answers every path with 200; your server output below may say what went wrong.');
    t.expectBody(response, `The view answered GET ${path}\n`, 'Return the response the view made, as the layers hand it back.');
  }
});

lesson.behaviour('builds the chain once, at startup, not once per request', async (t) => {
  // Each sample factory prints "<name>: built" when compose calls it (server.ts).
  for (const path of [randomPath(), randomPath()]) await t.request({ path });
  const printed = await t.waitForOutput(0, () => false);
  const counts = layers.map((name) => [name, printed.filter((line) => line.trim() === `${name}: built`).length] as const);
  t.check(counts.every(([, count]) => count === 1), {
    summary: 'The middleware factories did not run exactly once each, for a server that has answered several requests.',
    expected: layers.map((name) => `${name}: built (once)`).join('\n'),
    received: counts.map(([name, count]) => `${name}: built (${count === 1 ? 'once' : `${count} times`})`).join('\n'),
    hint: 'compose calls each factory, layer(next), while it builds the chain, before it returns; the handler it returns only calls the handlers they made.',
  });
  // server.ts calls compose before serve(), which prints "Listening on …" once the server
  // listens: a chain built at startup prints its lines first, one built on a first request after.
  const listening = printed.findIndex((line) => line.trim().startsWith('Listening on '));
  const late = layers.filter((name) => printed.findIndex((line) => line.trim() === `${name}: built`) > listening);
  t.check(listening === -1 || late.length === 0, {
    summary: 'The middleware factories ran only once the server was listening: the chain was built on a first request, not when compose was called.',
    expected: `${layers.map((name) => `${name}: built`).join('\n')}\nListening on …`,
    received: printed.filter((line) => / built$|^Listening on /.test(line.trim())).join('\n'),
    hint: 'Build the chain inside compose itself, before it returns, as Django does at startup: not lazily, in the handler it returns.',
  });
});

lesson.behaviour('runs the middleware on the way in in the order they are listed', async (t) => {
  await t.request({ path: randomPath(), trace: true });
  const inward = t.lastTrace.filter((e) => e.stage === 'middleware:in').map((e) => e.name);
  t.check(inward.join(', ') === layers.join(', '), {
    summary: 'The layers did not run in list order on the way in.',
    expected: `in: ${layers.join(', ')}`,
    received: `in: ${inward.join(', ') || '(none)'}`,
    hint: 'compose([outer, middle, inner], view): the first listed is the outermost. Build from the inside out: which layer must you wrap around the view first?',
  });
});

lesson.behaviour('runs the middleware on the way out in reverse order', async (t) => {
  const response = await t.request({ path: randomPath(), trace: true });
  const outward = t.lastTrace.filter((e) => e.stage === 'middleware:out').map((e) => e.name);
  const reversed = [...layers].reverse();
  t.check(outward.join(', ') === reversed.join(', '), {
    summary: 'The layers did not finish in reverse order on the way out.',
    expected: `out: ${reversed.join(', ')}`,
    received: `out: ${outward.join(', ') || '(none)'}`,
    hint: 'The last layer in is the first out: each layer finishes only after everything inside it has finished.',
  });
  expectOnion(t, response, fullJourney, 'Each layer sets X-Onion on the response it got back from `next`.');
});

lesson.behaviour('stops at a layer that answers by itself, and outer layers still see its answer', async (t) => {
  const path = `${randomPath()}?short=1`;
  const response = await t.request({ path, trace: true });
  const steps = traced(t);
  t.check(!steps.includes('view') && !steps.includes('inner:in'), {
    summary: 'The middle layer answered without calling next, but inner layers or the view ran anyway.',
    expected: 'outer:in, middle:in, middle:out, outer:out',
    received: show(steps),
    hint: 'A layer that answers without calling next ends the way in: nothing inside it may run. Does your compose call the view or a layer itself, instead of leaving that to next?',
  });
  t.expectStatus(response, 403, "With ?short=1 the middle layer answers 403 itself; hand its response back unchanged.");
  t.expectBody(response, stoppedByMiddle);
  expectOnion(
    t,
    response,
    'outer:in, middle:in, middle:out, outer:out',
    'The outer layer still runs its way out with the response the middle layer made.',
  );
});

lesson.behaviour('turns an exception in the view into a 500 without a stack trace', async (t) => {
  const response = await t.request({ path: '/boom', trace: true });
  t.check(traced(t).includes('view'), {
    summary: 'The view never ran, so it could not throw.',
    expected: 'the view runs, throws, and its error becomes a 500',
    received: show(traced(t)),
    hint: 'Your server output below says what stopped the request first.',
  });
  t.expectStatus(response, 500, 'Catch what the view throws and answer with errorResponse(error).');
  t.check(!/crashed|\n\s+at /.test(response.text), {
    summary: "The 500 response shows the error's message or stack trace to the client.",
    expected: 'a plain body, such as "Internal Server Error"',
    received: JSON.stringify(response.text.slice(0, 200)),
    hint: 'Details of a crash belong in the server log (errorResponse logs them), never in the response.',
  });
});

lesson.behaviour('sends that 500 back out through every layer', async (t) => {
  await expectFullJourney(t, '/boom', [500, 'Catch what the view throws and answer with errorResponse(error).'], 'Every layer should receive the 500 as a response and add to X-Onion. Is the view itself wrapped in convertExceptions, and does your try block await the handler?');
});

lesson.behaviour('answers an HttpError with its own status', async (t) => {
  const id = word();
  const response = await t.request({ path: `/articles/${id}`, trace: true });
  t.expectStatus(response, 404, "The view throws HttpError(404, …): errorResponse keeps an HttpError's status.");
  t.expectBody(response, `No article ${id}.`, "An HttpError's message is meant for the client: errorResponse sends it as the body.");
  expectOnion(t, response, fullJourney, 'The 404 travels back out through every layer, like any response.');
});

lesson.behaviour('turns an exception thrown before any promise into a response too', async (t) => {
  // The view is not async: on /articles/<id> it throws at once, it does not return a rejected promise.
  const id = word();
  await expectFullJourney(t, `/articles/${id}`, [404, "The view throws HttpError(404, …): errorResponse keeps an HttpError's status."], 'A handler may throw before it returns a promise, so handler(request).catch(…) never sees that error. Catch both with try { return await handler(request) } catch …');
});

lesson.behaviour('refuses a second call to next: 500, and the view runs once', async (t) => {
  const mark = t.server.output.length;
  const response = await t.request({ path: '/twice', trace: true });
  const steps = traced(t);
  const views = steps.filter((s) => s === 'view').length;
  t.check(views === 1, {
    summary: views ? `The view ran ${views} times for one request.` : 'The view never ran.',
    expected: 'the view runs once; the second call to next throws',
    received: show(steps),
    hint: "On /twice the inner layer calls next twice. Remember which requests have called it (a WeakSet of requests?) and throw Error('next() called multiple times') the second time.",
  });
  t.expectStatus(response, 500, "A second call to next is a bug in the middleware: throw, and let it become a 500.");
  expectOnion(
    t,
    response,
    'outer:in, middle:in, inner:in, view, middle:out, outer:out',
    'The inner layer threw, so it never got to add X-Onion; its error must become a response that middle and outer still see.',
  );
  const printed = await t.waitForOutput(mark, (lines) => lines.some(saysCalledTwice));
  const said = printed.filter(saysCalledTwice);
  t.check(said.length > 0, {
    summary: 'The server log does not say that next was called twice.',
    expected: 'an error such as "next() called multiple times in inner" in the server output',
    received: '(no such line)',
    hint: 'Throw an Error whose message says next() was called multiple times, and name the layer.',
  });
  t.check(said.some((line) => /\binner\b/.test(line)), {
    summary: 'The error about the second call to next does not name the layer that made it (inner).',
    expected: 'next() called multiple times in inner',
    received: said.join('\n'),
    hint: 'callableOnce(next, caller) names the layer: pass layer.displayName (set by traced), or else layer.name.',
  });
});

lesson.behaviour('refuses a second call to next even before the first has answered', async (t) => {
  // On /twice-at-once the inner layer calls next twice without awaiting the first call.
  const response = await t.request({ path: '/twice-at-once', trace: true });
  const steps = traced(t);
  const views = steps.filter((s) => s === 'view').length;
  t.check(views === 1, {
    summary: views ? `The view ran ${views} times for one request whose inner layer called next twice at once.` : 'The view never ran.',
    expected: 'the view runs once; the second call to next throws at once',
    received: show(steps),
    hint: 'Remember the request as soon as next is called, before you call the handler inside: not once its answer is in.',
  });
  t.expectStatus(response, 500, 'A second call to next is a bug in the middleware: throw, and let it become a 500.');
  expectOnion(t, response, 'outer:in, middle:in, inner:in, view, middle:out, outer:out', 'The inner layer threw, so its error must become a response that middle and outer still see.');
});

lesson.behaviour('refuses a second call to next per request, while other requests come and go', async (t) => {
  // Two requests at once: the inner layer of each calls next, waits until the other has
  // called next too, then calls next again. Each second call must be refused.
  const key = word();
  const paths = [`/pair/${key}/${word()}`, `/pair/${key}/${word()}`];
  // The server waits up to 5 s for the partner request, so give each answer that much more time.
  const responses = await Promise.all(paths.map((path) => t.request({ path, timeoutMs: limits.requestMs + 5000 })));
  for (const [index, response] of responses.entries()) {
    const onion = header(response, 'X-Onion') ?? '';
    const views = onion.split(', ').filter((s) => s === 'view').length;
    t.check(views === 1 && response.status === 500, {
      summary:
        views > 1
          ? `The view ran ${views} times for ${paths[index]}: its second call to next was let through because another request had called next in between.`
          : `${paths[index]} did not end in a 500 with the view run once.`,
      expected: '500, X-Onion: outer:in, middle:in, inner:in, view, middle:out, outer:out',
      received: `${response.status}, X-Onion: ${onion || '(none)'}`,
      hint: 'Remember every request that called next (a WeakSet of Request objects), not just the last one: requests overlap on a real server.',
    });
  }
});

lesson.behaviour('with no middleware, answers with the view alone', async (t) => {
  const path = `/bare/${word()}`;
  const response = await t.request({ path, trace: true });
  t.expectStatus(response, 200, 'compose([], view) is just the view (with its exceptions converted).');
  t.expectBody(response, `The view answered GET ${path}\n`);
  t.check(header(response, 'X-Onion') === undefined && show(traced(t)) === 'view', {
    summary: 'Something other than the view ran for a chain with no middleware.',
    expected: 'view',
    received: show(traced(t)),
    hint: 'With an empty list, the chain is the view itself.',
  });
});
