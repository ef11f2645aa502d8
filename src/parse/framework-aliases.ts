/**
 * Import aliases that meta-frameworks define in a generated tsconfig (`.svelte-kit/tsconfig.json`,
 * `.nuxt/tsconfig.json`) the scanned repository does not contain: SvelteKit's `$lib`, Nuxt's `~`, `@`, `~~`,
 * `@@`, `#shared`, `#server`. Added to a project's own `paths` when its framework config sits beside the tsconfig.
 */
import path from 'node:path';
import type ts from '../typescript.cjs';

export type MetaFramework = 'svelte' | 'nuxt';

const FRAMEWORK_CONFIG = /(?:^|[\\/])(svelte|nuxt)\.config\.(?:js|ts|mjs|cjs|mts)$/;

/** The folders holding a `svelte.config.*` or `nuxt.config.*`, from the discovered file names (SvelteKit first). */
export function frameworkConfigFolders(files: Iterable<string>): Map<string, MetaFramework> {
  const folders = new Map<string, MetaFramework>();
  for (const file of files) {
    const kind = FRAMEWORK_CONFIG.exec(file)?.[1] as MetaFramework | undefined;
    if (kind && folders.get(path.dirname(file)) !== 'svelte') folders.set(path.dirname(file), kind);
  }
  return folders;
}

export function withFrameworkAliases(options: ts.CompilerOptions, dir: string, configFolders: ReadonlyMap<string, MetaFramework>): ts.CompilerOptions {
  const kind = configFolders.get(dir);
  if (kind === undefined) return options;
  const aliases = frameworkAliases(dir, kind);
  const paths = { ...(options.paths ?? {}) };
  for (const name of Object.keys(aliases)) if (!paths[name]) paths[name] = aliases[name];
  return { ...options, paths, pathsBasePath: options.pathsBasePath ?? dir };
}

function frameworkAliases(dir: string, kind: MetaFramework): Record<string, string[]> {
  const at = (...parts: string[]) => path.join(dir, ...parts);
  if (kind === 'svelte') {
    return { $lib: [at('src/lib')], '$lib/*': [at('src/lib/*')] };
  }
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
