// One line per stage of a traced request, for failure reports and `npm run trace`.
import type { TraceEvent } from './server-process.ts';

const arrows: Record<TraceEvent['stage'], string> = {
  request: '→',
  'middleware:in': '→',
  route: ' ',
  view: ' ',
  render: ' ',
  error: '!',
  'middleware:out': '←',
  response: '←',
  parse: '→',
  objects: ' ',
  body: ' ',
  serialize: '←',
};

const labels: Record<TraceEvent['stage'], string> = {
  request: 'request',
  'middleware:in': 'middleware in',
  route: 'route',
  view: 'view',
  render: 'template',
  error: 'error',
  'middleware:out': 'middleware out',
  response: 'response',
  parse: 'parser',
  objects: 'request object',
  body: 'body',
  serialize: 'serializer',
};

export function formatTrace(events: TraceEvent[]): string[] {
  let depth = 0;
  return events.map((event) => {
    if (event.stage === 'middleware:out') depth--;
    const indent = '  '.repeat(Math.max(depth, 0));
    if (event.stage === 'middleware:in') depth++;
    const detail = event.detail ? `  ${event.detail}` : '';
    return `${event.ms.toFixed(1).padStart(6)} ms  ${arrows[event.stage]} ${indent}${labels[event.stage].padEnd(15)} ${event.name}${detail}`;
  });
}
