// Share 2 of every lesson's mutants (the 2nd, the 5th, the 8th…); see support/mutant-suite.ts.
import { mutantSuite } from './support/mutant-suite.ts';
import { selectedLessons } from './support/selection.ts';

await mutantSuite('mutants-2', selectedLessons(), 2);
