// The 1st, 3rd, 5th… mutant of every lesson; see support/mutant-suite.ts.
import { mutantSuite } from './support/mutant-suite.ts';
import { selectedLessons } from './support/selection.ts';

await mutantSuite('mutants-odd', selectedLessons(), 1);
