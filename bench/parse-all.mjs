/**
 * Reference workload: read every source file the scanner would discover and parse it with TypeScript's parser.
 *   node bench/parse-all.mjs <dir> [--no-parse]   (--no-parse: read and test a regular expression only)
 */
import { readFileSync } from 'node:fs';
import { discover } from '../dist/src/discover/discover.js';

const [dir, flag] = process.argv.slice(2);
// Loaded only when parsing, so that the read-only run measures reading alone.
const ts = flag === '--no-parse' ? undefined : (await import('typescript')).default;
const { files } = await discover(dir);
const marker = /['"](?:openai|@anthropic-ai\/sdk|ai|@ai-sdk\/[\w-]+)['"]/;
let nodes = 0;
let matches = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  if (marker.test(text)) matches++;
  if (flag === '--no-parse') continue;
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  nodes += ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind).statements.length;
}
console.log(JSON.stringify({ files: files.length, matches, statements: nodes }));
