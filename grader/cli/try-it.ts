// The curl command `npm run serve` suggests: the lesson's own first example
// from its "## Try it" section, so it asks for a path the lesson answers
// (lesson 10 answers 404 on `/`).
import fs from 'node:fs';
import { readSections } from '../engine/lesson-text.ts';
import type { Lesson } from '../engine/lessons.ts';

/** `curl -v http://localhost:3000/hello` with the port in use; a plain `curl -v` of `/` when the lesson has no usable example. */
export function suggestedCurl(lesson: Lesson, port: number): string {
  const section = readSections(fs.readFileSync(lesson.lessonFile, 'utf8')).find((s) => s.title === 'Try it')?.body ?? '';
  const fenced = section.split(/^(?:```|~~~).*$/m).filter((_, index) => index % 2 === 1);
  // A command continued with a backslash is joined into one line.
  const lines = fenced.flatMap((block) => block.replace(/\\\n\s*/g, '').split('\n'));
  for (const line of lines) {
    const command = line.trim().replace(/^\$ /, '');
    // Runnable as it stands: no shell variable to fill in first.
    if (/^curl\s/.test(command) && !command.includes('$') && command.includes('localhost:3000')) {
      return command.replaceAll('localhost:3000', `localhost:${port}`);
    }
  }
  return `curl -v http://localhost:${port}/`;
}
