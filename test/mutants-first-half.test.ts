// The first half of every lesson's mutants; see support/mutant-suite.ts.
import { mutantSuite } from './support/mutant-suite.ts';
import { selectedLessons } from './support/selection.ts';

await mutantSuite('mutants-first-half', selectedLessons(), 1);
