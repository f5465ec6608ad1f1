// Each command's arguments, parsed by Node's own util.parseArgs: positionals,
// `--flag`, `--name value`, `--name=value`, and options given more than once.
// An unknown option or a missing value is a UserError (one sentence and the
// usage, exit 2), never silently ignored; `--help` (or `-h`) prints the usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../engine/user-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

const help = { help: { type: 'boolean', short: 'h' } } as const;

/** Thrown for `--help`: runCommand prints the usage and exits 0. */
export class HelpRequest {
  constructor(readonly usage: string) {}
}

/**
 * `parseCommandArgs(args, { verbose: { type: 'boolean' }, target: { type: 'string' } }, usage)`
 * -> `{ values: { verbose?: boolean, target?: string }, positionals: string[] }`.
 */
export function parseCommandArgs<const O extends Options>(args: string[], options: O, usage: string) {
  const all = { ...options, ...help };
  // A first, lenient pass names the problem in our own words (Node's messages
  // suggest `--` tricks a learner does not need).
  const { tokens } = parseArgs({ args, options: all, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option: { type: 'string' | 'boolean' } | undefined = Object.hasOwn(all, token.name) ? all[token.name as keyof typeof all] : undefined;
    if (!option) throw new UserError(`Unknown option ${token.rawName}.\nUsage: ${usage}`);
    if (option.type === 'string' && token.value === undefined) throw new UserError(`${token.rawName} needs a value.\nUsage: ${usage}`);
    if (option.type === 'boolean' && token.value !== undefined) throw new UserError(`${token.rawName} takes no value.\nUsage: ${usage}`);
    if (token.name === 'help') throw new HelpRequest(usage);
  }
  return parseArgs({ args, options: all, allowPositionals: true, strict: true });
}
