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
  const config = { args, options: { ...options, ...help }, allowPositionals: true, strict: true } as const;
  // A lenient pass, so that each problem is named in our own words (Node's
  // messages suggest `--` tricks a learner does not need), and so that a value
  // may start with a dash (`--data -1`), as in most command-line tools.
  const { values, positionals, tokens } = parseArgs({ ...config, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option: { type: 'string' | 'boolean' } | undefined = Object.hasOwn(config.options, token.name)
      ? config.options[token.name as keyof typeof config.options]
      : undefined;
    if (!option) throw new UserError(`Unknown option ${token.rawName}.\nUsage: ${usage}`);
    if (option.type === 'string' && token.value === undefined) throw new UserError(`${token.rawName} needs a value.\nUsage: ${usage}`);
    if (option.type === 'boolean' && token.value !== undefined) throw new UserError(`${token.rawName} takes no value.\nUsage: ${usage}`);
    if (token.name === 'help') throw new HelpRequest(usage);
  }
  // Every option is now known and has a value of its type: what the strict parse would return.
  return { values, positionals } as ReturnType<typeof parseArgs<typeof config>>;
}
