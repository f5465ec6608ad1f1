// Share 1 of every lesson's mutants (the 1st, the 4th, the 7th…); see support/mutant-suite.ts.
import { mutantSuite } from './support/mutant-suite.ts';
import { selectedLessons } from './support/selection.ts';

await mutantSuite('mutants-1', selectedLessons(), 1);
