// The entry point behind every npm script: `node grader/cli/roundtrip.mjs check 6`.
// Plain JavaScript, so it can load Vitest *before* TypeScript support is
// registered: through tsx's loader hooks, importing Vitest takes about three
// times as long.
import { readdirSync } from 'node:fs';

const commandsDir = new URL('./commands/', import.meta.url);
const commands = readdirSync(commandsDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => name.slice(0, -3));
const [command = 'menu', ...args] = process.argv.slice(2);

if (!commands.includes(command)) {
  console.error(`Unknown command "${command}". Commands: ${commands.join(', ')}.`);
  process.exit(2);
}
if (command === 'check' || command === 'watch' || command === 'bench') await import('vitest/node');

const { register } = await import('tsx/esm/api');
register();
const { run } = await import(new URL(`${command}.ts`, commandsDir).href);
const code = await run(args);
process.exitCode = typeof code === 'number' ? code : 0;
