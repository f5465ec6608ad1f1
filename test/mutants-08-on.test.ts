// The mutants of lessons 08 onwards (routing to the whole cycle); see support/mutant-suite.ts.
import { mutantSuite } from './support/mutant-suite.ts';
import { selectedLessons } from './support/selection.ts';

await mutantSuite('mutants-08-on', selectedLessons().filter((lesson) => lesson.number >= 8));
