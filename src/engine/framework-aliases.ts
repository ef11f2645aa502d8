/**
 * Import aliases that meta-frameworks define in a generated tsconfig (`.svelte-kit/tsconfig.json`,
 * `.nuxt/tsconfig.json`) the scanned repository does not contain: SvelteKit's `$lib`, Nuxt's `~`, `@`, `~~`,
 * `@@`, `#shared`, `#server`. Added to a project's own `paths` when its framework config sits beside the tsconfig.
 */
import path from 'node:path';
import type ts from '../typescript.cjs';

const CONFIG_EXTENSIONS = ['js', 'ts', 'mjs', 'cjs', 'mts'];

/** `isFile` answers for source names such as `svelte.config.js`: the index holds them, so no file system probe. */
export function withFrameworkAliases(options: ts.CompilerOptions, dir: string, isFile: (file: string) => boolean): ts.CompilerOptions {
  const aliases = frameworkAliases(dir, isFile);
  const names = Object.keys(aliases);
  if (names.length === 0) return options;
  const paths = { ...(options.paths ?? {}) };
  for (const name of names) if (!paths[name]) paths[name] = aliases[name];
  return { ...options, paths, pathsBasePath: options.pathsBasePath ?? dir };
}

function frameworkAliases(dir: string, isFile: (file: string) => boolean): Record<string, string[]> {
  const has = (name: string) => CONFIG_EXTENSIONS.some((e) => isFile(path.join(dir, `${name}.config.${e}`)));
  const at = (...parts: string[]) => path.join(dir, ...parts);
  if (has('svelte')) {
    return { $lib: [at('src/lib')], '$lib/*': [at('src/lib/*')] };
  }
  if (has('nuxt')) {
    // Nuxt 4 puts the app under app/; `~` then points there, server code stays at the root.
    const source = [at('*'), at('app/*')];
    return {
      '~/*': source,
      '@/*': source,
      '~~/*': [at('*')],
      '@@/*': [at('*')],
      '#shared/*': [at('shared/*')],
      '#server/*': [at('server/*')],
    };
  }
  return {};
}
