// The TypeScript compiler's API for the suite's own checks (the lesson lint,
// function lengths, a new lesson's parts). Required, not imported: an import of
// this 9 MB CommonJS file makes Node parse it twice more first, to tell its
// format and to list its exports (about 0.4 s of CPU in each test worker).
// Types come from `import type * as TS from 'typescript'`.
import { createRequire } from 'node:module';
import type * as TS from 'typescript';

export const ts: typeof TS = createRequire(import.meta.url)('typescript');
