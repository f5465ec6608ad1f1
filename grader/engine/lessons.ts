// Lessons are discovered from lessons/NN-slug.md; nothing lists them by hand.
import fs from 'node:fs';
import path from 'node:path';
import { exercisesDir, lessonsDir, solutionsDir, specsDir } from './paths.ts';
import { UserError } from './user-error.ts';

export interface Lesson {
  /** 1, 2, … */
  number: number;
  /** "01-how-the-web-works": the same in lessons/, exercises/, solutions/ and the spec. */
  id: string;
  /** "How the web works", from the lesson's first heading. */
  title: string;
  lessonFile: string;
  exerciseDir: string;
  solutionDir: string;
  specFile: string;
}

const lessonFileName = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

export function discoverLessons(dir = lessonsDir): Lesson[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => lessonFileName.test(name))
    .sort()
    .map((name) => {
      const id = name.slice(0, -'.md'.length);
      const lessonFile = path.join(dir, name);
      let title: string | undefined;
      return {
        number: Number(name.slice(0, 2)),
        id,
        // Read when first asked for: a check of one lesson needs one title, not thirteen.
        get title() {
          return (title ??= readTitle(lessonFile) ?? id);
        },
        lessonFile,
        exerciseDir: path.join(exercisesDir, id),
        solutionDir: path.join(solutionsDir, id),
        specFile: path.join(specsDir, `${id}.spec.ts`),
      };
    });
}

function readTitle(file: string): string | undefined {
  const heading = fs.readFileSync(file, 'utf8').match(/^#\s+(.+)$/m)?.[1]?.trim();
  // "01 · How the web works" and "How the web works" both read as the title.
  return heading?.replace(/^\d+\s*[·.:—-]\s*/, '');
}

/** Accepts "6", "06", "06-middleware" or "middleware". */
export function findLesson(query: string, lessons = discoverLessons()): Lesson {
  const q = query.trim().toLowerCase();
  const found = /^\d+$/.test(q)
    ? lessons.find((l) => l.number === Number(q))
    : lessons.find((l) => l.id === q || l.id.slice(3) === q);
  if (found) return found;
  const range = lessons.length
    ? `Lessons go from ${lessons[0]!.id.slice(0, 2)} to ${lessons.at(-1)!.id.slice(0, 2)}`
    : 'No lessons were found';
  throw new UserError(
    `There is no lesson "${query}". ${range}; \`npm run lesson\` lists them.`,
  );
}

/** The files a learner edits: every file in the exercise folder, relative to it. */
export function exerciseFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
