// `npm run serve`: stopped by a signal, it leaves no server behind and frees
// its port; the curl command it suggests asks for a path the lesson answers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { discoverLessons } from '../grader/engine/lessons.ts';
import { workbookRoot } from '../grader/engine/paths.ts';
import { LearnerServer } from '../grader/engine/server-process.ts';
import { suggestedCurl } from '../grader/cli/try-it.ts';
import { cli, normalLimits } from './support/grade.ts';
import { scratchWorkbook } from './support/scratch.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on the port any more. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

/** Every process below `pid`. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    // ps exits 1 when there are none.
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim()[0] !== 'Z';
  } catch {
    return false;
  }
};

async function serving(command: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(command[0]!, command.slice(1), { cwd: workbookRoot, env: { ...process.env, NO_COLOR: '1', ...normalLimits, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  while (!/is serving/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => output };
}

describe('a signal to serve stops the server it started', () => {
  const root = scratchWorkbook('serve-signals');
  test.each([
    ['SIGTERM to the CLI', 'SIGTERM', false],
    ['SIGHUP to the CLI', 'SIGHUP', false],
    ['SIGTERM to npm run serve', 'SIGTERM', true],
  ] as const)('%s', async (_name, signal, viaNpm) => {
    const port = await freePort();
    const args = ['serve', '1', '--solution', '--port', String(port)];
    const command = viaNpm ? ['npm', 'run', '-s', ...args.slice(0, 1), '--', ...args.slice(1)] : [process.execPath, cli, ...args];
    const { child } = await serving(command, { ROUNDTRIP_ROOT: root });
    const below = descendants(child.pid!);
    expect(below.length).toBeGreaterThan(0);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    const deadline = Date.now() + 5_000;
    while (below.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(below.filter(alive)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
  });
});

describe('the suggested curl command', () => {
  test('serve names a path from the lesson, not /', async () => {
    const port = await freePort();
    const { child, output } = await serving([process.execPath, cli, 'serve', '10', '--solution', '--port', String(port)], {});
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(output()).toMatch(new RegExp(`Try: curl .*http://localhost:${port}/greet/`));
  });

  test('for every lesson, the solution answers it (no 404)', async () => {
    const lessons = discoverLessons();
    const statuses: string[] = [];
    // Three at a time: the machine is shared.
    for (let i = 0; i < lessons.length; i += 3) {
      await Promise.all(
        lessons.slice(i, i + 3).map(async (lesson) => {
          const server = await LearnerServer.start({ dir: lesson.solutionDir, startTimeoutMs: 20_000 });
          try {
            const status = await send(suggestedCurl(lesson, server.port), server.host);
            statuses.push(`${lesson.id}: ${status}`);
          } finally {
            await server.stop();
          }
        }),
      );
    }
    expect(statuses.filter((s) => /: 404$/.test(s))).toEqual([]);
    expect(statuses).toHaveLength(lessons.length);
  }, 90_000);
});

/** Sends what a one-line curl command would: its method, headers, body and URL. */
async function send(command: string, host: string): Promise<number> {
  const words = [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  let method = 'GET';
  let body: string | undefined;
  const headers: Record<string, string> = {};
  let url = '';
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-X') method = words[++i]!;
    else if (word === '-H') {
      const [name, ...value] = words[++i]!.split(':');
      headers[name!] = value.join(':').trim();
    } else if (['-d', '--data', '--data-binary'].includes(word)) {
      body = words[++i]!;
      if (method === 'GET') method = 'POST';
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    } else if (['-c', '-b', '-u', '-o'].includes(word)) i++;
    else if (word.startsWith('http')) url = word.replace('localhost', host.includes(':') ? `[${host}]` : host);
  }
  const response = await fetch(url, { method, headers, body, redirect: 'manual' });
  await response.arrayBuffer();
  return response.status;
}
