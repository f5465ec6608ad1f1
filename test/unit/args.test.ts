// Each command's arguments, through Node's util.parseArgs: what a command
// receives, and the one sentence a learner gets for a wrong option.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { HelpRequest, parseCommandArgs } from '../../grader/cli/args.ts';
import { outputFiles } from '../../grader/cli/commands/check.ts';
import { runCommand } from '../../grader/cli/run-command.ts';
import { machineReporterEntries } from '../../grader/engine/grader-run.ts';
import { UserError } from '../../grader/engine/user-error.ts';

const usage = 'npm run example [-- <lesson>] [--verbose] [--target DIR] [--header H]…';
const options = {
  verbose: { type: 'boolean' },
  target: { type: 'string' },
  header: { type: 'string', multiple: true },
} as const;
const parse = (...args: string[]) => parseCommandArgs(args, options, usage);
const refusal = (...args: string[]) => {
  try {
    parse(...args);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('parseCommandArgs', () => {
  test('positionals, flags, values in both spellings, and repeated options in order', () => {
    const { values, positionals } = parse('6', '--verbose', '--target', 'a', 'GET', '--header=X-A: 1', '--header', 'X-B: 2');
    expect(positionals).toEqual(['6', 'GET']);
    expect(values).toEqual({ verbose: true, target: 'a', header: ['X-A: 1', 'X-B: 2'] });
  });

  test('nothing given, nothing set', () => {
    expect(parse()).toEqual({ values: {}, positionals: [] });
  });

  test('a value may start with a dash', () => {
    expect(parse('--target', '-odd').values.target).toBe('-odd');
  });

  test('after --, everything is a positional', () => {
    expect(parse('--', '--verbose').positionals).toEqual(['--verbose']);
  });

  test.each([
    [['--bogus'], 'Unknown option --bogus.'],
    [['-x'], 'Unknown option -x.'],
    [['--target'], '--target needs a value.'],
    [['--verbose=yes'], '--verbose takes no value.'],
  ])('%j is refused in one sentence, with the usage', (args, sentence) => {
    const error = refusal(...args);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`${sentence}\nUsage: ${usage}`);
  });

  test('--help and -h ask for the usage', () => {
    for (const flag of ['--help', '-h']) {
      const request = refusal('6', flag);
      expect(request).toBeInstanceOf(HelpRequest);
      expect((request as HelpRequest).usage).toBe(usage);
    }
  });
});

describe('runCommand', () => {
  afterEach(() => vi.restoreAllMocks());

  test('a UserError is one line on stderr and exit code 2', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await runCommand(async () => parse('--bogus') && 0)).toBe(2);
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0]![0])).toMatch(/^× Unknown option --bogus\.\nUsage: /);
  });

  test('--help prints the usage on stdout and exits 0', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await runCommand(async () => parse('--help') && 1)).toBe(0);
    expect(log).toHaveBeenCalledWith(`Usage: ${usage}`);
  });

  test('any other error is a bug and keeps its stack', async () => {
    await expect(runCommand(async () => { throw new TypeError('boom'); })).rejects.toThrow('boom');
  });
});

describe('reports: --reporter and --output-file', () => {
  test('a file per reporter, named, or one plain file for the only reporter', () => {
    expect(outputFiles(['json=a.json', 'junit=b.xml'])).toEqual({ json: 'a.json', junit: 'b.xml' });
    expect(outputFiles(['report.xml'])).toEqual({ '*': 'report.xml' });
    expect(machineReporterEntries(['json', 'junit'], { json: 'a.json', junit: 'b.xml' })).toEqual([
      ['json', { outputFile: 'a.json' }],
      ['junit', { outputFile: 'b.xml' }],
    ]);
    expect(machineReporterEntries(['junit'], { '*': 'report.xml' })).toEqual([['junit', { outputFile: 'report.xml' }]]);
    expect(machineReporterEntries(['json', 'json', 'default'], {})).toEqual([['json', {}]]);
  });

  test.each([
    [() => outputFiles(['a.json', 'b.json']), /Two output files for the report/],
    [() => outputFiles(['json=']), /names no file/],
    [() => machineReporterEntries(['xml'], {}), /Unknown reporter "xml"/],
    [() => machineReporterEntries(['json', 'junit'], { '*': 'a' }), /say which file is whose/],
    [() => machineReporterEntries([], { '*': 'a' }), /--output-file needs a reporter/],
    [() => machineReporterEntries(['json'], { junit: 'b.xml' }), /names a reporter that is not chosen: add --reporter junit/],
  ])('%# refused: %s', (call, message) => {
    expect(call).toThrow(UserError);
    expect(call).toThrow(message);
  });
});
