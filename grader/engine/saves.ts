// Which changes in a lesson folder are the learner's saves, in watch mode. A
// file watcher reports a new modification time as it reports new content, and
// some behaviours set the times of a lesson's files, then put them back
// (lesson 11 chooses a Last-Modified that way): each run would start the next,
// for ever. A change that comes while a run is going, or just after it, to a
// file whose content is what it was, is the grader's own and starts nothing.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** How long after a run a change may still be its own: the watcher reports a little late. */
const graceMs = 1000;

/** Told when runs start and end; asked whether one is going, or has just ended. */
export class RunClock {
  private running = false;
  private endedAt = 0;

  started(): void {
    this.running = true;
  }

  ended(): void {
    this.running = false;
    this.endedAt = Date.now();
  }

  grading(): boolean {
    return this.running || Date.now() - this.endedAt < graceMs;
  }
}

/** Returns whether a change to `file` (in `folder`) is a save, remembering each file's content as it goes. */
export function savesIn(folder: string, clock: RunClock): (file: string) => boolean {
  const known = new Map<string, string>();
  for (const name of fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(folder, name);
    known.set(file, contentOf(file));
  }
  return (file) => {
    const now = contentOf(file);
    const before = known.get(file);
    known.set(file, now);
    return !(clock.grading() && before === now);
  };
}

/** A digest of the file's bytes, or what it is when it is no file (a folder, or gone). */
function contentOf(file: string): string {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? createHash('sha1').update(fs.readFileSync(file)).digest('hex') : 'not a file';
  } catch {
    return 'gone';
  }
}
