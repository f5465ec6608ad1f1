// The one error for "tell the user one sentence": a wrong lesson number, an
// unknown option, a folder that does not exist, a git command that failed.
// Every command runs through runCommand (cli/run-command.ts), which prints the
// message, without a stack trace, and exits with code 2. Anything else thrown
// is a bug in Roundtrip and keeps its stack.
export class UserError extends Error {
  override name = 'UserError';
}
