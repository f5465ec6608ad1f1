// Lesson 06: compose() builds the middleware onion. The server wraps a view in
// three traced layers (outer, middle, inner); each writes the journey so far
// into X-Onion. The trace shows who ran, in which order; the header shows what
// each layer saw on its way out. Paths are random, so only a real chain passes.
import { randomBytes } from 'node:crypto';
import { gradeLesson, type Check } from '../engine/harness.ts';
import { header } from '../engine/response.ts';
import type { Received } from '../engine/response.ts';

const lesson = gradeLesson(import.meta.url);

const word = () => randomBytes(3).toString('hex');
const randomPath = () => `/page-${word()}`;
const layers = ['outer', 'middle', 'inner'];
const fullJourney = 'outer:in, middle:in, inner:in, view, inner:out, middle:out, outer:out';

/** The trace of the last request, as a journey like X-Onion's: "outer:in, …, view, …, outer:out". */
function traced(t: Check): string[] {
  return t.lastTrace
    .filter((e) => e.stage === 'middleware:in' || e.stage === 'middleware:out' || e.stage === 'view')
    .map((e) => (e.stage === 'view' ? 'view' : `${e.name}:${e.stage === 'middleware:in' ? 'in' : 'out'}`));
}

const show = (steps: string[]) => (steps.length ? steps.join(', ') : '(no middleware and no view ran)');

function expectOnion(t: Check, response: Received, expected: string, hint: string): void {
  t.expectHeader(response, 'X-Onion', expected, hint);
}

lesson.behaviour('runs the view inside every layer', async (t) => {
  // Two requests: the chain is built once and must serve every request, not just the first.
  for (const path of [randomPath(), randomPath()]) {
    const response = await t.request({ path, trace: true });
    const steps = traced(t);
    const shape = steps.map((s) => (s === 'view' ? 'view' : s.endsWith(':in') ? 'in' : 'out')).join(' ');
    t.check(shape === 'in in in view out out out', {
      summary: 'The view did not run inside all three layers, exactly once.',
      expected: 'three layers in, the view, three layers out',
      received: show(steps),
      hint: 'Each layer gets as `next` the handler made of everything inside it; the innermost `next` is the view.',
    });
    t.expectStatus(response, 200, 'The view answers every path with 200; your server output below may say what went wrong.');
    t.expectBody(response, `The view answered GET ${path}\n`, 'Return the response the view made, as the layers hand it back.');
  }
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
  t.expectBody(response, 'Stopped by middle: the view was never asked.\n');
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
  const response = await t.request({ path: '/boom', trace: true });
  t.expectStatus(response, 500, 'Catch what the view throws and answer with errorResponse(error).');
  expectOnion(
    t,
    response,
    fullJourney,
    'Every layer should receive the 500 as a response and add to X-Onion. Is the view itself wrapped in convertExceptions, and does your try block await the handler?',
  );
});

lesson.behaviour('answers an HttpError with its own status', async (t) => {
  const id = word();
  const response = await t.request({ path: `/articles/${id}`, trace: true });
  t.expectStatus(response, 404, "The view throws HttpError(404, …): errorResponse keeps an HttpError's status.");
  t.expectBody(response, `No article ${id}.`, "An HttpError's message is meant for the client: errorResponse sends it as the body.");
  expectOnion(t, response, fullJourney, 'The 404 travels back out through every layer, like any response.');
});

lesson.behaviour('refuses a second call to next: 500, and the view runs once', async (t) => {
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
  const mentioned = t.server.output.some((line) => /next\b.*\b(multiple|twice|more than once|again)\b/i.test(line.text));
  t.check(mentioned, {
    summary: 'The server log does not say what went wrong.',
    expected: 'an error such as "next() called multiple times in inner" in the server output',
    received: '(no such line)',
    hint: 'Throw an Error whose message says next() was called multiple times, and name the layer.',
  });
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
