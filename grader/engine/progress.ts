// The learner's progress: one small JSON file in .roundtrip/, git-ignored and
// always replaced atomically (write a temporary file, then rename), so an
// interrupted write never leaves half a file behind.
import fs from 'node:fs';
import path from 'node:path';
import { displayPath, stateDir } from './paths.ts';
import { UserError } from './user-error.ts';

export interface LessonProgress {
  passed?: boolean;
  /** When the lesson first passed, ISO 8601. */
  firstPassedAt?: string;
  /** When the lesson last passed, ISO 8601. */
  passedAt?: string;
  /** When the lesson was last checked, pass or fail, ISO 8601. */
  lastRunAt?: string;
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
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw notAllowed(error, 'read');
  }
  try {
    const parsed = JSON.parse(text) as Progress;
    if (parsed && typeof parsed.lessons === 'object') return { version: 1, lessons: parsed.lessons };
  } catch {
    // Fall through: keep the unreadable file aside rather than overwrite it.
  }
  const aside = `${file}.unreadable-${Date.now()}`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    throw notAllowed(error, 'replace');
  }
  console.warn(`Your progress file could not be read; it was kept as ${path.basename(aside)} and a new one started.`);
  return { version: 1, lessons: {} };
}

/** Changes and saves the progress; a file that cannot be written is a UserError, one sentence. */
export function updateProgress(change: (progress: Progress) => void): Progress {
  const progress = readProgress();
  change(progress);
  try {
    writeFileAtomic(progressFile(), JSON.stringify(progress, null, 2) + '\n');
  } catch (error) {
    throw notAllowed(error, 'save');
  }
  return progress;
}

function notAllowed(error: unknown, what: 'read' | 'save' | 'replace'): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (!['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR'].includes(code ?? '')) return error;
  return new UserError(
    `Your progress could not be ${what === 'read' ? 'read' : 'saved'}: ${displayPath(progressFile())} is not ${what === 'read' ? 'readable' : 'writable'} (${code}). ` +
      'Fix its permissions (or those of .roundtrip/), or delete it to start your progress afresh.',
  );
}

export function lessonProgress(progress: Progress, id: string): LessonProgress {
  return (progress.lessons[id] ??= {});
}

export function writeFileAtomic(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } catch (error) {
    // Never leave a temporary file behind when the rename (or the write) fails.
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
