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
] satisfies Variant[];
