// Part of `npm run build`: zod, the config and baseline validator, is bundled into dist/src/vendor/zod.js and the
// compiled modules import it from there, so the published package does not install zod's 840 files (about 8 MB on
// disk). The declarations the package exports do not name zod (src/config/public.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const BUNDLED = ['zod'];

export function vendorDependencies(distSrc) {
  for (const name of BUNDLED) {
    buildSync({
      stdin: { contents: `export * from '${name}';`, resolveDir: process.cwd(), loader: 'js' },
      outfile: path.join(distSrc, 'vendor', `${name}.js`),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      legalComments: 'inline',
      logLevel: 'warning',
    });
  }
  for (const file of jsFiles(distSrc)) {
    if (file.startsWith(path.join(distSrc, 'vendor'))) continue;
    const text = readFileSync(file, 'utf8');
    let rewritten = text;
    for (const name of BUNDLED) {
      const target = path.relative(path.dirname(file), path.join(distSrc, 'vendor', `${name}.js`)).split(path.sep).join('/');
      rewritten = rewritten.replace(new RegExp(`(\\bfrom\\s*|\\bimport\\s*\\(\\s*)(['"])${name}\\2`, 'g'), `$1$2${target.startsWith('.') ? target : `./${target}`}$2`);
    }
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) vendorDependencies('dist/src');
