// Run before each test file, in its worker (Vitest's setupFiles). Test files
// share a worker and its modules (isolate: false), so what each file must do
// for itself is registered here, not when a module is first imported.
import { afterAll } from 'vitest';
import { removeScratchWorkbooks } from './scratch.ts';

afterAll(removeScratchWorkbooks);
