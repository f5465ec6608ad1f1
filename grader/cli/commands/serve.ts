// npm run serve [-- N] [--port P] [--solution]: run an exercise's server for
// curl and the browser, until Ctrl-C.
import { displayPath } from '../../engine/paths.ts';
import { LearnerServer, ServerStartError } from '../../engine/server-process.ts';
import { handPort } from '../../engine/format.ts';
import { colour, symbols } from '../../ui/style.ts';
import { UserError } from '../../engine/user-error.ts';
import { parseCommandArgs } from '../args.ts';
import { lessonFromArgs } from '../current-lesson.ts';
import { checkOwnStackLessons, ownStackFor, ownStackLesson } from '../../engine/own-stack.ts';
import path from 'node:path';
import { runCommand } from '../run-command.ts';
import { killAllServers } from '../../engine/server-process.ts';
import { suggestedCurl } from '../try-it.ts';

const usage = 'npm run serve [-- <lesson>] [--port 3000] [--solution] [--own-stack]  (PORT=… works too; --own-stack: lesson 13 on your pieces of 02–05)';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(args, { solution: { type: 'boolean' }, port: { type: 'string' }, 'own-stack': { type: 'boolean' } }, usage);
    const ownStack = parsed.values['own-stack'];
    const lesson = ownStack && !parsed.positionals.length ? ownStackLesson() : lessonFromArgs(parsed.positionals, usage);
    if (ownStack) checkOwnStackLessons([lesson], usage);
    const port = Number(parsed.values.port ?? process.env.PORT ?? handPort);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`--port must be a number from 1 to 65535.\nUsage: ${usage}`);
    const dir = parsed.values.solution ? lesson.solutionDir : lesson.exerciseDir;
    console.log(colour.dim(`Starting ${displayPath(dir)}/server.ts …`));
    // With --solution, the solutions' pieces throughout; otherwise yours where you passed the lesson.
    const stack = ownStack ? ownStackFor(path.dirname(dir)) : undefined;
    if (stack) console.log(colour.dim(`Own stack: ${stack.description}.`));
    stopOnSignals();
    let server: LearnerServer;
    try {
      server = await LearnerServer.start({ dir, port, inheritOutput: true, startTimeoutMs: 30_000, env: stack?.env });
    } catch (error) {
      if (!(error instanceof ServerStartError)) throw error;
      console.error(`${colour.red(symbols.fail)} ${error.message}`);
      if (error.reason === 'exited') console.error(`If the error above says EADDRINUSE, port ${port} is taken: try --port ${port + 1}.`);
      return 1;
    }
    console.log(`${colour.green(symbols.pass)} Lesson ${lesson.id.slice(0, 2)} is serving on ${colour.bold(`http://localhost:${port}/`)}  (Ctrl-C to stop)`);
    console.log(colour.dim(`Try: ${suggestedCurl(lesson, port)}`));
    await server.waitForExit(2 ** 31 - 1);
    return server.exitCode ?? 0;
  });
}

/**
 * Ctrl-C, SIGTERM, SIGHUP (a closed terminal), or the parent going away (npm,
 * which does not always pass SIGTERM on through its shell): stop the server,
 * also one still starting, and leave. Exiting kills it (server-process.ts).
 */
function stopOnSignals(): void {
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  const leave = (code: number) => {
    killAllServers();
    process.exit(code);
  };
  for (const [signal, code] of Object.entries(codes)) process.once(signal, () => leave(code));
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && leave(143), 500).unref();
}
