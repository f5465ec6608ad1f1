// The learner's progress: one small JSON file in .roundtrip/, git-ignored and
// always replaced atomically (write a temporary file, then rename), so an
// interrupted write never leaves half a file behind.
import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from './paths.ts';

export interface LessonProgress {
  passed?: boolean;
  /** When the lesson last passed, ISO 8601. */
  passedAt?: string;
  /** How many of the lesson's hints the learner has seen. */
  hintsShown?: number;
}

export interface Progress {
  version: 1;
  lessons: Record<string, LessonProgress>;
}

export const progressFile = () => path.join(stateDir, 'progress.json');

export function readProgress(): Progress {
  const file = progressFile();
  if (!fs.existsSync(file)) return { version: 1, lessons: {} };
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Progress;
    if (parsed && typeof parsed.lessons === 'object') return { version: 1, lessons: parsed.lessons };
  } catch {
    // Fall through: keep the unreadable file aside rather than overwrite it.
  }
  const aside = `${file}.unreadable-${Date.now()}`;
  fs.renameSync(file, aside);
  console.warn(`Your progress file could not be read; it was kept as ${path.basename(aside)} and a new one started.`);
  return { version: 1, lessons: {} };
}

export function updateProgress(change: (progress: Progress) => void): Progress {
  const progress = readProgress();
  change(progress);
  writeFileAtomic(progressFile(), JSON.stringify(progress, null, 2) + '\n');
  return progress;
}

export function lessonProgress(progress: Progress, id: string): LessonProgress {
  return (progress.lessons[id] ??= {});
}

export function writeFileAtomic(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}
