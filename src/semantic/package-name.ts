/**
 * The npm package an import names, however it is written: Deno and Supabase Edge Functions import packages as
 * `npm:openai@4`, from CDNs such as `https://esm.sh/openai@4.28.0?target=deno`, or from JSR. Analyses compare
 * package names, so every form reads as the plain name (`openai`), keeping any subpath (`@ai-sdk/openai`,
 * `ai/rsc`). Anything else (a bare name, a relative path, another URL) is returned as written.
 */

/** JSR packages that publish an npm package under another name. */
const JSR_PACKAGES: Readonly<Record<string, string>> = {
  '@openai/openai': 'openai',
  '@hono/hono': 'hono',
};

/**
 * What comes before a package's name in these spellings: `npm:`, `jsr:`, or a CDN that serves npm packages by
 * name (esm.sh may add a build folder, `/v135/`). A source, so the index's AI markers can build on it.
 */
export const PACKAGE_PREFIXES = /npm:|jsr:|https?:\/\/(?:esm\.sh\/(?:v\d+\/)?|cdn\.skypack\.dev\/|esm\.run\/|cdn\.jsdelivr\.net\/npm\/|unpkg\.com\/)/.source;

const PACKAGE_PREFIX = new RegExp(`^(?:${PACKAGE_PREFIXES})`);

/** `name@version/subpath` (name possibly scoped) → `name/subpath`. */
const VERSIONED = /^((?:@[\w.-]+\/)?[\w.-]+)(?:@[^/?#]*)?(\/[^?#]*)?/;

export function packageName(specifier: string): string {
  const prefix = PACKAGE_PREFIX.exec(specifier)?.[0];
  if (prefix === undefined) return specifier;
  const match = VERSIONED.exec(specifier.slice(prefix.length).replace(/^\//, ''));
  if (!match) return specifier;
  const name = prefix === 'jsr:' ? JSR_PACKAGES[match[1]] ?? match[1] : match[1];
  const subpath = (match[2] ?? '').replace(/\/(?:\+esm|mod\.ts)?$/, '');
  return name + subpath;
}

/**
 * Packages as plugins declare them: an exact name (`openai`), or a name followed by `/*` for the name and
 * everything under it (`hono/*`: `hono`, `hono/tiny`; `@ai-sdk/*`: every package of the scope).
 */
export type PackageDeclaration = string;

/** Text to match literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A regular-expression source matching any of the declared packages, as an import names them (no quotes). */
export function packagesSource(declared: readonly PackageDeclaration[]): string {
  return declared
    .map((name) => (name.endsWith('/*') ? `${escapeRegExp(name.slice(0, -2))}(?:\\/[\\w.@/-]+)?` : escapeRegExp(name)))
    .join('|');
}

/** Whether a package name (already read by `packageName`) is one of the declared packages. */
export function isDeclaredPackage(name: string, declared: readonly PackageDeclaration[]): boolean {
  return declared.some((d) => (d.endsWith('/*') ? name === d.slice(0, -2) || name.startsWith(d.slice(0, -1)) : name === d));
}
