import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'parses the form with URLSearchParams, collects fields in a Map and words its refusals differently',
    edits: [
      {
        find: /  const pairs = body\.toString\('utf8'\)[\s\S]*?\n  return fields;\n/,
        replace: [
          "  const params = [...new URLSearchParams(body.toString('utf8'))];",
          "  if (params.length > FIELD_LIMIT) throw new HttpError(400, 'Too many fields.');",
          '  const fields = new Map<string, string[]>();',
          '  for (const [name, value] of params) fields.set(name, [...(fields.get(name) ?? []), value]);',
          '  return Object.fromEntries(fields);',
          '',
        ].join('\n'),
      },
      { find: "throw new HttpError(400, 'The body is not valid JSON.');", replace: "throw new HttpError(400, 'Malformed JSON, sorry.');" },
      { find: 'throw new HttpError(415, `Cannot read a body of type "${mediaType}".`);', replace: "throw new HttpError(415, 'Send a form or JSON.');" },
    ],
  },
  {
    name: 'measures the JSON depth by scanning the text, and cuts file names with path.win32.basename',
    edits: [
      {
        find: 'if (deeperThan(json, JSON_DEPTH_LIMIT)) throw',
        replace: "if (deepestNesting(body.toString('utf8')) > JSON_DEPTH_LIMIT) throw",
      },
      {
        find: '// Arrays and objects are one level each:',
        replace: [
          '// The deepest nesting of brackets outside strings: \'[{"a":"[["}]\' -> 2',
          'function deepestNesting(text: string): number {',
          '  let depth = 0;',
          '  let deepest = 0;',
          '  let inString = false;',
          '  for (let i = 0; i < text.length; i++) {',
          '    const c = text[i];',
          "    if (inString) {",
          "      if (c === '\\\\') i++;",
          "      else if (c === '\"') inString = false;",
          "    } else if (c === '\"') inString = true;",
          "    else if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);",
          "    else if (c === ']' || c === '}') depth--;",
          '  }',
          '  return deepest;',
          '}',
          '',
          '// Arrays and objects are one level each:',
        ].join('\n'),
      },
      {
        find: "const name = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\\\')) + 1);",
        replace: 'const name = win32.basename(filename);',
      },
      { find: "import { createHash } from 'node:crypto';", replace: "import { createHash } from 'node:crypto';\nimport { win32 } from 'node:path';" },
    ],
  },
  {
    name: 'finds part headers with a case-insensitive pattern, cuts file names with split, and measures the whole JSON depth without recursion',
    edits: [
      {
        find: /  const headers = new Map<string, string>\(\);\n[\s\S]*?\n  \}\n  const disposition = parameters\(headers\.get\('content-disposition'\) \?\? ''\);/,
        replace: [
          "  const head = part.toString('utf8', 0, headEnd);",
          "  // Header names are case-insensitive: the i flag; m lets ^ and $ match at each line.",
          "  const header = (name: string) => new RegExp(`^${name}[ \\t]*:[ \\t]*(.*?)[ \\t]*$`, 'im').exec(head)?.[1];",
          "  const disposition = parameters(header('content-disposition') ?? '');",
        ].join('\n'),
      },
      { find: "contentType: headers.get('content-type') ?? 'text/plain'", replace: "contentType: header('content-type') ?? 'text/plain'" },
      {
        find: "  const name = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\\\')) + 1);",
        replace: "  const name = filename.split(/[\\\\/]/).pop() ?? '';",
      },
      {
        find: /  if \(typeof value !== 'object' \|\| value === null\) return false;\n[\s\S]*?\n\}/,
        replace: [
          '  // A stack of [value, depth] instead of recursion: any depth fits in memory, none overflows the call stack.',
          '  const stack: [unknown, number][] = [[value, 0]];',
          '  let deepest = 0;',
          '  while (stack.length > 0) {',
          '    const [item, depth] = stack.pop()!;',
          "    if (typeof item !== 'object' || item === null) continue;",
          '    deepest = Math.max(deepest, depth + 1);',
          '    for (const child of Object.values(item)) stack.push([child, depth + 1]);',
          '  }',
          '  return deepest > levels;',
          '}',
        ].join('\n'),
      },
    ],
  },
] satisfies Variant[];
