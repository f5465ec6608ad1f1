// A small argument parser: positionals, `--flag`, `--name value`, `--name=value`.
// Unknown options are an error with a clear message, never silently ignored.

export class UsageError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
  /** Options that may be given more than once, in order. */
  lists: Map<string, string[]>;
}

export function parseArgs(args: string[], spec: { flags?: string[]; values?: string[]; lists?: string[] }, usage: string): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const positionals: string[] = [];
  const lists = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.flags?.includes(name)) {
      flags.add(name);
    } else if (spec.values?.includes(name) || spec.lists?.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value.\nUsage: ${usage}`);
      if (spec.lists?.includes(name)) lists.set(name, [...(lists.get(name) ?? []), value]);
      else values.set(name, value);
    } else {
      throw new UsageError(`Unknown option --${name}.\nUsage: ${usage}`);
    }
  }
  return { positionals, flags, values, lists };
}
