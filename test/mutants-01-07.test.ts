// The mutants of lessons 01–07 (the wire, the objects, middleware); see support/mutant-suite.ts.
import { mutantSuite } from './support/mutant-suite.ts';
import { selectedLessons } from './support/selection.ts';

await mutantSuite('mutants-01-07', selectedLessons().filter((lesson) => lesson.number <= 7));
