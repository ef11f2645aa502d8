// The README's sample output, from a real run of the built CLI on the bundled demo (the command the README opens
// with). `npm run readme:samples` rewrites the blocks between the sample markers; test/cli/readme-samples.test.ts
// fails when they drift from what the scanner prints.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));
export const DEMO = 'fixtures/express-classic/vulnerable';

/** The CLI's output on the demo, run from the repository root as the README's command does. */
function run(args) {
  const env = { ...process.env };
  for (const name of ['CI', 'GITHUB_ACTIONS', 'GITHUB_WORKSPACE', 'FORCE_COLOR']) delete env[name];
  env.NO_COLOR = '1';
  try {
    return execFileSync(process.execPath, ['bin/ai-endpoint-audit.js', DEMO, ...args], { cwd: REPO, env, encoding: 'utf8' });
  } catch (error) {
    // The demo has high-severity findings: the scan exits 1 and its report is the output.
    if (error.status === 1 && typeof error.stdout === 'string') return error.stdout;
    throw error;
  }
}

/**
 * The sample blocks, by marker name: the text report without its first line (it names the absolute folder scanned)
 * and the scan's duration; the JSON report's endpoint and its first finding.
 */
export function samples() {
  const text = run([])
    .split('\n')
    .slice(1)
    .join('\n')
    .replace(/ · \d+ ms\n$/, '\n')
    .replace(/^\n+/, '');
  const json = JSON.parse(run(['--format', 'json']));
  return {
    text: fenced('', text),
    json: `${fenced('json', `${JSON.stringify(json.endpoints[0], null, 2)}\n`)}\n\nIts first finding:\n\n${fenced('json', `${JSON.stringify(json.findings[0], null, 2)}\n`)}`,
  };
}

function fenced(language, body) {
  return `\`\`\`${language}\n${body}\`\`\``;
}

const MARKERS = (name) => [`<!-- sample:${name}:start (npm run readme:samples writes this block) -->`, `<!-- sample:${name}:end -->`];

/** The text between a sample's markers in the README, without the blank lines around it. */
export function readmeBlock(readme, name) {
  const [start, end] = MARKERS(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${name} sample markers`);
  return readme.slice(from + start.length, to).trim();
}

function rewrite(readme, blocks) {
  let out = readme;
  for (const [name, block] of Object.entries(blocks)) {
    const [start, end] = MARKERS(name);
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${name} sample markers`);
    out = `${out.slice(0, from + start.length)}\n${block}\n${out.slice(to)}`;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(README, rewrite(readFileSync(README, 'utf8'), samples()));
  console.log(`wrote the samples in ${README}`);
}
