// npm run trace -- N [METHOD] PATH [--header 'Name: value']… [--data BODY] [--solution]
// Starts lesson N's server, sends one request, and prints the way it went
// through the cycle: each middleware in, the route, the view, the template,
// each middleware out, with timings. Works for lessons built on provided/ (06 on).
import { sendHttp } from '../../engine/http-client.ts';
import { displayPath } from '../../engine/paths.ts';
import { LearnerServer, ServerStartError } from '../../engine/server-process.ts';
import { formatTrace } from '../../engine/trace-format.ts';
import { colour, symbols } from '../../ui/style.ts';
import { UserError } from '../../engine/user-error.ts';
import { parseCommandArgs } from '../args.ts';
import { lessonFromArgs } from '../current-lesson.ts';
import { runCommand } from '../run-command.ts';
import { checkOwnStackLessons, ownStackFor } from '../../engine/own-stack.ts';
import nodePath from 'node:path';

const usage = "npm run trace -- <lesson> [METHOD] <path> [--header 'Name: value'] [--data BODY] [--solution] [--own-stack]";
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(
      args,
      { solution: { type: 'boolean' }, data: { type: 'string' }, header: { type: 'string', multiple: true }, 'own-stack': { type: 'boolean' } },
      usage,
    );
    const [lessonQuery, ...rest] = parsed.positionals;
    if (!lessonQuery || !rest.length) throw new UserError(`Say which lesson and which path.\nUsage: ${usage}`);
    const lesson = lessonFromArgs([lessonQuery], usage);
    if (parsed.values['own-stack']) checkOwnStackLessons([lesson], usage);
    const method = rest.length > 1 ? rest[0]!.toUpperCase() : parsed.values.data !== undefined ? 'POST' : 'GET';
    const path = rest.at(-1)!;
    if (!methods.includes(method)) throw new UserError(`Unknown method "${method}". Use one of ${methods.join(', ')}.`);
    if (!path.startsWith('/')) throw new UserError(`The path must start with "/", like /articles/42.`);
    const headers = requestHeaders(parsed.values.header ?? [], parsed.values.data);
    const id = `trace-${Date.now()}`;
    headers['x-roundtrip-trace'] = id;

    const dir = parsed.values.solution ? lesson.solutionDir : lesson.exerciseDir;
    let server: LearnerServer;
    try {
      // --own-stack: your pieces of lessons 02–05 read and write the bytes (see provided/own-stack.ts).
      const env = parsed.values['own-stack'] ? ownStackFor(nodePath.dirname(dir)).env : undefined;
      server = await LearnerServer.start({ dir, env });
    } catch (error) {
      if (!(error instanceof ServerStartError)) throw error;
      console.error(`${colour.red(symbols.fail)} ${error.message}`);
      for (const line of error.output) console.error(`  ${symbols.bar} ${line.text}`);
      return 1;
    }
    try {
      let response;
      try {
        response = await sendHttp(server.host, server.port, { method, path, headers, body: parsed.values.data });
      } catch (error) {
        console.error(`${colour.red(symbols.fail)} No answer to ${method} ${path}: ${(error as Error).message}`);
        for (const line of server.output) console.error(`  ${symbols.bar} ${line.text}`);
        return 1;
      }
      const events = await server.traceOf(id);
      console.log(colour.bold(`${method} ${path}  ${symbols.arrow}  ${response.status}`) + colour.dim(`   (${displayPath(dir)})`));
      console.log('');
      if (!events.length) {
        console.log(colour.yellow('No trace: this lesson\'s server does not use the provided tracer (lessons 06 and later do).'));
      } else {
        for (const line of formatTrace(events)) console.log(line);
      }
      const output = server.output.filter((line) => !/^Listening on /.test(line.text));
      if (output.length) {
        console.log(colour.dim('\nYour server printed:'));
        for (const line of output) console.log(`  ${colour.cyan(symbols.bar)} ${line.text}`);
      }
      return 0;
    } finally {
      await server.stop();
    }
  });
}

/** The --header options as a record; with --data and no Content-Type, a form's type, as `curl -d` sends. */
export function requestHeaders(lines: string[], data: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UserError(`A header looks like 'Name: value'; got "${line}".`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (data !== undefined && !hasType) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return headers;
}
