// The 2nd, 4th, 6th… mutant of every lesson; see support/mutant-suite.ts.
import { mutantSuite } from './support/mutant-suite.ts';
import { selectedLessons } from './support/selection.ts';

await mutantSuite('mutants-even', selectedLessons(), 2);
