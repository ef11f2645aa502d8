/**
 * The index's cheap pre-filters, built from what the plugins declare (`triggers` on every framework and
 * provider): which files mention an AI provider, which can hold routes, which are route, layer or own-route
 * files by convention, and which register routes other files mount. Adding a plugin extends them; nothing
 * here names a framework or an SDK. Built on first use: plugins import analyses that use these tests.
 */
import { PACKAGE_PREFIXES, type PackageDeclaration, packagesSource } from '../semantic/package-name.js';
import { FRAMEWORKS } from '../frameworks/index.js';
import type { FrameworkTriggers } from '../frameworks/types.js';
import { hostTextSource } from '../providers/hosts.js';
import { PROVIDERS } from '../providers/index.js';

interface Markers {
  ai: RegExp;
  routes: RegExp;
  routeFile: RegExp;
  layerFile: RegExp;
  ownRouteFile: RegExp;
  registersRoutes: RegExp;
  mountingPackages: RegExp;
  implicitCallPaths: RegExp;
  implicitCallText: RegExp;
}

let built: Markers | undefined;

function markers(): Markers {
  return (built ??= buildMarkers());
}

/** Text that names an AI SDK package (also the Deno and CDN way), a provider's other marker, or a provider's host. */
export function mentionsAiText(text: string): boolean {
  return markers().ai.test(text);
}

/** Text that imports a framework's package or shows its entry points: the file may register or export routes. */
export function mentionsRoutesText(text: string): boolean {
  return markers().routes.test(text);
}

/** Imports, directives and calls of frameworks whose files register or mount routes across files. */
export function registersRoutesText(text: string): boolean {
  return markers().registersRoutes.test(text);
}

/** Imports a framework whose apps and routers are created in one file and given routes in others. */
export function importsMountingFramework(text: string): boolean {
  return markers().mountingPackages.test(text);
}

/** A route file or a layer file by its folder convention, whatever its text. */
export function isRouteFileByConvention(relative: string): boolean {
  return markers().routeFile.test(relative) || markers().layerFile.test(relative);
}

/** A layer file: it changes what runs before other files' routes (Next.js middleware, SvelteKit hooks...). */
export function isLayerFileName(relative: string): boolean {
  return markers().layerFile.test(relative);
}

/** A file of a file-based router whose routes are its own (before looking at what its text registers). */
export function isOwnRouteFileName(relative: string): boolean {
  return markers().ownRouteFile.test(relative);
}

/** Code a framework runs other modules' exports from without importing them, by its path or its text. */
export function callsWithoutImports(relative: string, text: string): boolean {
  const { implicitCallPaths, implicitCallText } = markers();
  return implicitCallPaths.test(relative) || implicitCallText.test(text);
}

/** Every package an AI provider is imported from, as declared. */
export function aiPackages(): PackageDeclaration[] {
  return PROVIDERS.flatMap((p) => p.triggers.packages);
}

/** Every REST host of a paid provider, as declared. */
export function aiHosts(): string[] {
  return PROVIDERS.flatMap((p) => (p.triggers.hosts ?? []).flatMap((h) => h.hosts));
}

function buildMarkers(): Markers {
  const providers = PROVIDERS.map((p) => p.triggers);
  const frameworks = FRAMEWORKS.map((f) => f.triggers);
  const crossFile = frameworks.flatMap((t) => (t.crossFile ? [t.crossFile] : []));
  const packages = aiPackages();
  return {
    ai: anyOf([
      ...imports(packages),
      `['"](?:${PACKAGE_PREFIXES})(?:${packagesSource(packages)})(?:@[^'"/]*)?(?:\\/[^'"]*)?['"]`,
      ...providers.flatMap((t) => t.markers ?? []).map((m) => m.source),
      ...aiHosts().map(hostTextSource),
    ]),
    routes: anyOf([...imports(frameworks.flatMap((t) => t.packages ?? [])), ...frameworks.flatMap((t) => t.markers ?? []).map((m) => m.source)]),
    routeFile: anyOf(conventions(frameworks, (t) => t.routeFiles)),
    layerFile: anyOf(conventions(frameworks, (t) => t.layerFiles)),
    ownRouteFile: anyOf(conventions(frameworks, (t) => t.ownRouteFiles)),
    // A cross-file package matches with any suffix: `express` also covers `express-rate-limit`.
    registersRoutes: anyOf([...imports(crossFile.flatMap((c) => c.packages), `[^'"]*`), ...crossFile.flatMap((c) => c.markers ?? []).map((m) => m.source)]),
    mountingPackages: anyOf(imports(crossFile.filter((c) => c.mounts).flatMap((c) => c.packages))),
    implicitCallPaths: anyOf(conventions(frameworks, (t) => t.callsWithoutImports?.paths)),
    implicitCallText: anyOf(frameworks.flatMap((t) => t.callsWithoutImports?.markers ?? []).map((m) => m.source)),
  };
}

function conventions(frameworks: readonly FrameworkTriggers[], pick: (t: FrameworkTriggers) => RegExp | undefined): string[] {
  return frameworks.flatMap((t) => {
    const pattern = pick(t);
    return pattern ? [pattern.source] : [];
  });
}

/** A quoted module name that is one of the packages, optionally followed by more text (none when there are no packages). */
function imports(packages: readonly PackageDeclaration[], suffix = ''): string[] {
  return packages.length > 0 ? [`['"](?:${packagesSource(packages)})${suffix}['"]`] : [];
}

/** One regular expression for several sources; one that never matches when there are none. */
function anyOf(sources: readonly string[]): RegExp {
  return new RegExp(sources.length > 0 ? sources.map((s) => `(?:${s})`).join('|') : '(?!)');
}
