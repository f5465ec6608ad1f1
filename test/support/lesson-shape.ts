// The sections of a lesson, in order, and the budget of its main path
// (everything before "## Hints"): see CONTRIBUTING.md, "The lesson text".
export const lessonSections = ['Goal', 'The idea', 'Try it', 'In Django', 'The exercise', 'Hints', 'Going further', 'Further reading'];

export const mainPathBudget = 350;
