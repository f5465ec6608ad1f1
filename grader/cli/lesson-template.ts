// What `npm run new-lesson` writes: the five parts of a lesson, small and
// already consistent (the stub fails as "not implemented yet", the solution
// passes, the mutant is caught), for a contributor to grow into a real lesson.

export interface NewLesson {
  /** "10" */
  nn: string;
  /** "10-templating" */
  id: string;
  title: string;
}

/** Paths relative to the repository, and what goes in them. */
export function lessonFiles(lesson: NewLesson): [string, string][] {
  return [
    [`lessons/${lesson.id}.md`, lessonText(lesson)],
    [`exercises/${lesson.id}/server.ts`, server(lesson, 'stub')],
    [`solutions/${lesson.id}/server.ts`, server(lesson, 'solution')],
    [`grader/specs/${lesson.id}.spec.ts`, spec(lesson)],
    [`test/mutants/${lesson.id}.ts`, mutants(lesson)],
  ];
}

const greeting = (lesson: NewLesson) => `Hello from lesson ${lesson.nn}`;

/** The lesson text, every section in order (the lesson lint checks them). */
function lessonText(lesson: NewLesson): string {
  const n = Number(lesson.nn);
  return `# ${lesson.nn} · ${lesson.title}

<!-- One or two sentences: what the learner will build. Then replace every
comment like this one; CONTRIBUTING.md says what each section is for. -->
You will build a server that answers every request with a greeting that names
the method and path it was asked for.

## Goal

When you finish this lesson, you will be able to:

- answer a request with a \`Response\` of your own;
- <!-- what else the learner can do afterwards -->

## The idea

<!-- The concept, with a diagram. -->

\`\`\`text
 client ──── GET /hello ────▶ view(request)
        ◀─── 200 "${greeting(lesson)}: GET /hello" ───
\`\`\`

## Try it

Once you have finished the exercise, start your server:

\`\`\`sh
npm run serve -- ${n}
\`\`\`

and, in a second terminal:

\`\`\`sh
curl -v http://localhost:3000/hello
\`\`\`

<!-- Paste the real output, in a text block. -->

${lessonTextFromDjango(lesson)}`;
}

/** From "In Django" to the end. The main path (everything before "## Hints") stays within 350 lines. */
function lessonTextFromDjango(lesson: NewLesson): string {
  const n = Number(lesson.nn);
  return `## In Django

<!-- The same step in Django, with its real names, in a few lines; say where
this step sits in the cycle (bytes in, middleware in, view, render,
middleware out, bytes out). Express, Koa, Hono and detail: "Going further". -->

## The exercise

Open \`exercises/${lesson.id}/server.ts\` and write \`view\`:

\`\`\`ts
await view(request) // GET /hello -> 200 "${greeting(lesson)}: GET /hello"
\`\`\`

<!-- One item per rule, each ending with the behaviours that grade it. -->
- answer with a greeting that names the request's method and path <!-- graded: answers with a greeting that names the method and the path -->

Check your work:

\`\`\`sh
npm run check -- ${n}
\`\`\`

## Hints

<details>
<summary>Hints, from a nudge to nearly the answer (or one at a time: <code>npm run hint -- ${n}</code>)</summary>

1. What does \`view\` receive, and which of its fields hold the method and the path?
2. Which helper on \`Response\` makes a plain-text answer with the right \`Content-Type\`?
3. Have you tried \`\` return Response.text(\`${greeting(lesson)}: \${request.method} \${request.path}\\n\`) \`\`?

</details>

## Going further

<!-- Framework comparisons (Express, Koa, Hono) and deeper detail: what a
curious learner reads after the exercise. -->

## Further reading

- <!-- RFC 9110/9112 sections, MDN pages, Django docs -->
`;
}

function server(lesson: NewLesson, kind: 'stub' | 'solution'): string {
  const body =
    kind === 'stub'
      ? `  throw new Error('TODO: answer with the greeting, the method and the path (view in server.ts)');`
      : `  // Response.text sets Content-Type with a charset: the body is UTF-8 text.
  return Response.text(\`${greeting(lesson)}: \${request.method} \${request.path}\\n\`);`;
  const todo = kind === 'stub' ? '// TODO: Answer with a greeting that names the method and the path.\n' : '';
  return `// Lesson ${lesson.nn}: ${lesson.title}. <One to three lines on what this module does.>
import { Response, type Request } from '#provided/http.ts';
import { serve } from '#provided/serve.ts';

${todo}// GET /hello -> 200 "${greeting(lesson)}: GET /hello"
export async function view(request: Request): Promise<Response> {
${body}
}

// Don't change anything below this line.
serve(view);
`;
}

function spec(lesson: NewLesson): string {
  return `// Lesson ${lesson.nn}: ${lesson.title}. <What the behaviours check.> Paths are
// random, so only a real answer passes.
import { randomBytes } from 'node:crypto';
import { gradeLesson } from '../engine/harness.ts';

const lesson = gradeLesson(import.meta.url);

lesson.behaviour('answers with a greeting that names the method and the path', async (t) => {
  const path = \`/page-\${randomBytes(4).toString('hex')}\`;
  const response = await t.request({ path });
  t.expectStatus(response, 200, 'Return the Response that view() makes; Response.text(...) answers 200 by default.');
  t.expectBody(response, \`${greeting(lesson)}: GET \${path}\\n\`, 'Put request.method and request.path into the greeting.');
});
`;
}

function mutants(lesson: NewLesson): string {
  return `// Known-wrong versions of solutions/${lesson.id}/: each must fail the behaviour it names.
// npm test wants at least three: add one for each mistake a learner could plausibly make.
import type { Mutant } from '../support/mutants.ts';

export default [
  {
    name: 'answers every path with the same text',
    find: '\${request.path}',
    replace: '/',
    caughtBy: 'answers with a greeting that names the method and the path',
  },
] satisfies Mutant[];
`;
}
