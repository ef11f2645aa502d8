// Part of `npm run build`: puts the compiler API the tool was compiled with (the `typescript` package's public
// entry, pinned in devDependencies) into dist/src/vendor/typescript.cjs, minified, with the loader beside it.
// The published package then carries one 3.6 MB file instead of depending on the 23 MB `typescript` package
// (its compiler binary, declaration libraries and translations are not used by the scanner).
// The action bundle (scripts/build-action.mjs) puts the same file beside its own.
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const require = createRequire(import.meta.url);

export function vendorTypeScript(outfile) {
  buildSync({
    entryPoints: [require.resolve('typescript')],
    outfile,
    platform: 'node',
    format: 'cjs',
    minify: true,
    legalComments: 'inline',
    logLevel: 'warning',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of ['typescript.cjs', 'typescript.d.cts']) copyFileSync(`src/${file}`, `dist/src/${file}`);
  vendorTypeScript('dist/src/vendor/typescript.cjs');
}
