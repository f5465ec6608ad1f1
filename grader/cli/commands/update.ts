// npm run update [-- --remote upstream] [--branch main] [--no-fetch] [--force]:
// brings new and corrected lessons from the workbook's repository without
// touching the learner's work. It fetches the upstream branch and checks out
// only the workbook's own folders (lessons/, solutions/, grader/, test/,
// provided/, docs/) and the exercise folders the learner does not have yet.
// Existing exercise files are never overwritten. Nothing is committed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { workbookRoot } from '../../engine/paths.ts';
import { colour, symbols } from '../../ui/style.ts';
import { parseCommandArgs } from '../args.ts';
import { UserError } from '../../engine/user-error.ts';
import { runCommand } from '../run-command.ts';

const usage = 'npm run update [-- --remote NAME] [--branch NAME] [--no-fetch] [--force]';

/** What the workbook owns and the learner does not edit. */
export const workbookFolders = ['lessons', 'solutions', 'grader', 'test', 'provided', 'docs'];

/** A git command that failed; update reads its stderr to say why a fetch failed. */
class GitError extends UserError {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: workbookRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // Never wait for a password prompt: fail and say so instead.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new GitError(`git ${args.join(' ')} failed: ${stderr}`, stderr);
  }
}

function tryGit(...args: string[]): string | undefined {
  try {
    return git(...args);
  } catch {
    return undefined;
  }
}

const lines = (text: string | undefined) => (text ?? '').split('\n').filter(Boolean);

const options = {
  remote: { type: 'string', default: 'upstream' },
  branch: { type: 'string', default: 'main' },
  'no-fetch': { type: 'boolean' },
  force: { type: 'boolean' },
} as const;

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { values, positionals } = parseCommandArgs(args, options, usage);
    if (positionals.length) throw new UserError(`npm run update takes no lesson: it updates the whole workbook.\nUsage: ${usage}`);
    const { remote, branch } = values;
    const ref = `${remote}/${branch}`;
    checkRepository(remote);
    const before = commitOf(ref);
    if (!values['no-fetch']) fetchBranch(remote, branch, ref);
    const after = commitOf(ref);
    if (!after) throw new UserError(`There is no ${ref} to update from. Is the branch called something else? Use --branch NAME.`);
    const upstream = upstreamTree(after);
    refuseToOverwrite(upstream, values.force === true);
    const update = applyUpdate(upstream, before);
    printUpdate(update, ref);
    return 0;
  });
}

/** The workbook must be a git repository of its own, with the remote to update from. */
function checkRepository(remote: string): void {
  const top = tryGit('rev-parse', '--show-toplevel')?.trim();
  if (!top || fs.realpathSync(top) !== fs.realpathSync(workbookRoot)) {
    throw new UserError('npm run update needs the workbook to be a git repository of its own (a clone, a fork, or a copy of the template). This folder is not one.');
  }
  const remotes = lines(git('remote'));
  if (remotes.includes(remote)) return;
  const origin = remote === 'upstream' && remotes.includes('origin') ? `\nIf you cloned the workbook itself, its remote is "origin": npm run update -- --remote origin` : '';
  throw new UserError(
    `There is no git remote called "${remote}", so there is nowhere to fetch new lessons from. Add the workbook's repository once:\n` +
      `  git remote add ${remote} <the workbook's repository URL>\nthen run npm run update again.${origin}`,
  );
}

const commitOf = (ref: string) => tryGit('rev-parse', '--verify', '--quiet', `${ref}^{commit}`)?.trim();

function fetchBranch(remote: string, branch: string, ref: string): void {
  try {
    git('fetch', '--no-tags', remote, `+refs/heads/${branch}:refs/remotes/${ref}`);
  } catch (error) {
    const reason = error instanceof GitError ? lines(error.stderr).at(-1) ?? '' : String(error);
    throw new UserError(
      `Could not fetch ${branch} from ${remote} (${tryGit('remote', 'get-url', remote)?.trim() ?? '?'}): ${reason}\n` +
        'Are you offline? Nothing was changed; try again when you are online, or use --no-fetch to update from what was fetched before.',
    );
  }
}

interface UpstreamTree {
  commit: string;
  /** Names at the top of upstream's tree. */
  top: Set<string>;
  /** The workbook's folders, as upstream has them. */
  folders: string[];
  /** path → blob id, for every file upstream has in those folders. */
  files: Map<string, string>;
}

function upstreamTree(commit: string): UpstreamTree {
  const top = new Set(lines(git('ls-tree', '--name-only', commit)));
  const folders = workbookFolders.filter((f) => top.has(f));
  const files = new Map(
    lines(folders.length ? git('ls-tree', '-r', commit, '--', ...folders) : '').map((line) => {
      const [meta = '', file = ''] = line.split('\t');
      return [file, meta.split(' ')[2] ?? ''] as const;
    }),
  );
  return { commit, top, folders, files };
}

/** Local edits in the workbook's folders that the update would overwrite (a file that differs from upstream's): refused, unless --force. */
function refuseToOverwrite(upstream: UpstreamTree, force: boolean): void {
  const { folders, files } = upstream;
  const candidates = lines(folders.length ? git('status', '--porcelain', '--untracked-files=all', '--', ...folders) : '')
    .map((line) => line.slice(3).replace(/^.* -> /, '').replace(/^"|"$/g, ''))
    .filter((file) => files.has(file) && fs.existsSync(path.join(workbookRoot, file)));
  const hashes = lines(candidates.length ? git('hash-object', '--', ...candidates) : '');
  const edited = candidates.filter((file, i) => hashes[i] !== files.get(file));
  if (!edited.length || force) return;
  const shown = edited.slice(0, 10).map((f) => `  ${f}`).join('\n') + (edited.length > 10 ? `\n  … and ${edited.length - 10} more` : '');
  throw new UserError(
    `These files have changes that are not committed, and the update would replace them:\n${shown}\n` +
      'Commit or stash them first (git stash), or run npm run update -- --force to replace them anyway. Nothing was changed.',
  );
}

interface Update {
  upstream: UpstreamTree;
  before: string | undefined;
  /** Files new or changed in the workbook's folders. */
  changed: string[];
  /** Exercise folders the learner did not have yet. */
  fresh: string[];
  /** Exercise folders that changed upstream, where the learner's copy was kept. */
  kept: string[];
  packageChanged: string[];
}

/** Checks out the workbook's folders and the new exercise folders; never an existing exercise. */
function applyUpdate(upstream: UpstreamTree, before: string | undefined): Update {
  const { commit: after, folders, top } = upstream;
  const changed = lines(git('diff', '--name-status', '-R', after, '--', ...folders)).filter((l) => /^[AM]/.test(l));
  if (folders.length) git('checkout', after, '--', ...folders);
  const upstreamExercises = lines(tryGit('ls-tree', '-d', '--name-only', after, 'exercises/'));
  const fresh = upstreamExercises.filter((dir) => !fs.existsSync(path.join(workbookRoot, dir)));
  if (fresh.length) git('checkout', after, '--', ...fresh);
  const kept = before && before !== after
    ? upstreamExercises.filter((dir) => !fresh.includes(dir) && tryGit('diff', '--quiet', before, after, '--', dir) === undefined)
    : [];
  const packageChanged = ['package.json', 'package-lock.json'].filter(
    (file) => top.has(file) && tryGit('diff', '--quiet', after, '--', file) === undefined,
  );
  return { upstream, before, changed, fresh, kept, packageChanged };
}

function printUpdate({ upstream, before, changed, fresh, kept, packageChanged }: Update, ref: string): void {
  const short = upstream.commit.slice(0, 7);
  if (!changed.length && !fresh.length) {
    console.log(`${colour.green(symbols.pass)} Already up to date with ${ref} (${short}).`);
  } else {
    console.log(`${colour.green(symbols.pass)} Updated from ${ref} (${short}):`);
    if (changed.length) console.log(`  ${upstream.folders.map((f) => `${f}/`).join(', ')}: ${changed.length} file${changed.length === 1 ? '' : 's'} new or changed`);
    for (const dir of fresh) console.log(`  new exercise: ${dir}/`);
  }
  console.log('Your exercise files are as you left them.');
  for (const dir of kept) {
    const number = Number(/(\d{2})-/.exec(dir)?.[1] ?? 0);
    console.log(
      colour.yellow(`  ${dir}/ changed upstream; your copy was kept. To see how: git diff ${before!.slice(0, 7)} ${short} -- ${dir}\n` +
        `  To start it over from the new version: npm run reset -- ${number} (your files are backed up first).`),
    );
  }
  if (packageChanged.length) {
    console.log(
      colour.yellow(`${packageChanged.join(' and ')} changed upstream. Take ${packageChanged.length > 1 ? 'them' : 'it'} with:\n` +
        `  git checkout ${ref} -- ${packageChanged.join(' ')} && npm install`),
    );
  }
  if (changed.length || fresh.length) console.log('Nothing is committed yet: look with `git status`, then `git commit -m "Update the workbook"`.');
}
