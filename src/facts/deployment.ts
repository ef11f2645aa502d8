/**
 * Where the project is deployed, as far as its own files say, and what that means for the client-address
 * headers. A platform that terminates the connection overwrites some headers with the address it saw
 * (Vercel `x-forwarded-for` / `x-real-ip`, Netlify `x-nf-client-connection-ip`, Cloudflare `cf-connecting-ip`);
 * anywhere else those headers are whatever the client sends. Express `trust proxy: true` (Fastify
 * `trustProxy: true`, Koa `app.proxy = true`) makes `req.ip` the left-most `x-forwarded-for` entry: forgeable.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ParsedProject } from '../parse/program.js';
import type ts from '../typescript.cjs';

export type Platform = 'vercel' | 'netlify' | 'cloudflare';

/** Headers each platform sets to the address it saw, whatever the client sent. */
const OVERWRITTEN_HEADERS: Record<Platform, readonly string[]> = {
  vercel: ['x-forwarded-for', 'x-real-ip', 'x-vercel-forwarded-for', 'x-vercel-ip'],
  netlify: ['x-nf-client-connection-ip', 'x-forwarded-for'],
  cloudflare: ['cf-connecting-ip', 'true-client-ip'],
};

/** Client-address headers named for no platform: trusted only where a platform overwrites them. */
const GENERIC_IP_HEADERS = new Set(['x-forwarded-for', 'x-real-ip', 'cf-connecting-ip', 'true-client-ip', 'x-client-ip', 'x-cluster-client-ip']);

const PLATFORM_FILES: Record<Platform, readonly string[]> = {
  vercel: ['vercel.json', '.vercel'],
  netlify: ['netlify.toml', 'netlify/functions', 'netlify/edge-functions'],
  cloudflare: ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc', 'functions/_middleware.ts', 'functions/_middleware.js'],
};

/** Packages that only make sense on a platform: its SDKs, CLIs and framework adapters. */
const PLATFORM_PACKAGES: Record<Platform, RegExp> = {
  vercel: /^(@vercel\/|vercel$|@astrojs\/vercel$|@sveltejs\/adapter-vercel$|hono\/vercel$)/,
  netlify: /^(@netlify\/|netlify-cli$|@astrojs\/netlify$|@sveltejs\/adapter-netlify$|hono\/netlify$)/,
  cloudflare: /^(@cloudflare\/|wrangler$|@astrojs\/cloudflare$|@sveltejs\/adapter-cloudflare(-workers)?$|@opennextjs\/cloudflare$|hono\/cloudflare-(workers|pages)$)/,
};

const PLATFORMS = Object.keys(PLATFORM_FILES) as Platform[];

/** `proxy === 'vercel'`, `process.env.VERCEL`, `process.env.CF_PAGES`: a file that names the platform it runs on. */
const PLATFORM_MENTIONS: Record<Platform, RegExp> = {
  vercel: /===?\s*['"]vercel['"]|['"]vercel['"]\s*===?|\bprocess\.env\.VERCEL(_ENV|_URL)?\b/,
  netlify: /===?\s*['"]netlify['"]|['"]netlify['"]\s*===?|\bprocess\.env\.NETLIFY\b/,
  cloudflare: /===?\s*['"]cloudflare['"]|['"]cloudflare['"]\s*===?|\bprocess\.env\.CF_PAGES\b/,
};

/**
 * Is a client-address header read in `files` (where it is read, and the files of the calls that passed it on)
 * set by the platform rather than the client?
 */
export function platformSetsHeader(project: ParsedProject, files: readonly ts.SourceFile[], header: string): boolean {
  if (!GENERIC_IP_HEADERS.has(header)) return true;
  const platforms = new Set(files.flatMap((file) => [...platformsOf(project, file.fileName, file.text)]));
  return [...platforms].some((p) => OVERWRITTEN_HEADERS[p].includes(header));
}

/** The platforms named by the folders from the file up to the root (config files, dependencies) and the file's imports. */
function platformsOf(project: ParsedProject, fileName: string, fileText: string): Set<Platform> {
  const found = new Set<Platform>();
  const root = path.resolve(project.root);
  for (let dir = path.dirname(path.resolve(fileName)); dir.startsWith(root); dir = path.dirname(dir)) {
    for (const p of folderPlatforms(dir)) found.add(p);
    if (dir === root) break;
  }
  // Code that branches on the platform's name or reads its system variable was written to run there.
  for (const [platform, mention] of Object.entries(PLATFORM_MENTIONS) as [Platform, RegExp][]) if (mention.test(fileText)) found.add(platform);
  for (const match of fileText.matchAll(/from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]/g)) {
    const specifier = match[1] ?? match[2];
    for (const p of PLATFORMS) if (PLATFORM_PACKAGES[p].test(specifier)) found.add(p);
  }
  return found;
}

const folderCache = new Map<string, Platform[]>();

function folderPlatforms(dir: string): Platform[] {
  let platforms = folderCache.get(dir);
  if (platforms) return platforms;
  const dependencies = packageDependencies(dir);
  platforms = PLATFORMS.filter((p) => PLATFORM_FILES[p].some((f) => existsSync(path.join(dir, f))) || dependencies.some((d) => PLATFORM_PACKAGES[p].test(d)));
  folderCache.set(dir, platforms);
  return platforms;
}

function packageDependencies(dir: string): string[] {
  return Object.keys(dependencyVersions(dir));
}

const manifestCache = new Map<string, Record<string, string>>();

/** A folder's package.json dependencies and dev dependencies with their version ranges. */
function dependencyVersions(dir: string): Record<string, string> {
  let versions = manifestCache.get(dir);
  if (versions) return versions;
  versions = {};
  const file = path.join(dir, 'package.json');
  try {
    if (statSync(file).isFile()) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>;
      versions = { ...manifest.devDependencies, ...manifest.dependencies };
    }
  } catch {
    // no manifest, or one that is not JSON: no dependencies known
  }
  manifestCache.set(dir, versions);
  return versions;
}

/** The major version of a dependency in the nearest package.json that lists it, from the file up to the root. */
export function dependencyMajor(project: ParsedProject, fileName: string, name: string): number | undefined {
  const root = path.resolve(project.root);
  for (let dir = path.dirname(path.resolve(fileName)); dir.startsWith(root); dir = path.dirname(dir)) {
    const range = dependencyVersions(dir)[name];
    if (range) {
      const major = /(\d+)/.exec(range);
      return major ? Number(major[1]) : undefined;
    }
    if (dir === root) break;
  }
  return undefined;
}

/** `app.set('trust proxy', true)`, `app.enable('trust proxy')`, `Fastify({ trustProxy: true })`. */
const TRUST_ALL_PROXIES = /\.set\(\s*['"]trust proxy['"]\s*,\s*true\s*\)|\.enable\(\s*['"]trust proxy['"]\s*\)|\btrustProxy\s*:\s*true\b/;
/** Koa's `app.proxy = true` (or `new Koa({ proxy: true })`) trusts every hop unless `maxIpsCount` bounds them. */
const KOA_PROXY = /\bapp\.proxy\s*=\s*true\b|new\s+Koa\(\s*\{[^}]*\bproxy\s*:\s*true/;
/** A bounded trust: a hop count, `'loopback'`, addresses. The project runs its own reverse proxy. */
const BOUNDED_TRUST = /\.set\(\s*['"]trust proxy['"]\s*,\s*(\d+|['"][^'"]+['"]|\[)|\btrustProxy\s*:\s*(\d+|['"])|\bmaxIpsCount\b/;

export interface ProxyTrust {
  /** The app trusts every proxy hop, so `req.ip` is the left-most `X-Forwarded-For` entry: what the client sends. */
  all: boolean;
  /**
   * The app declares its own reverse proxy (a bounded `trust proxy`). Such a proxy sets `X-Real-IP` to the address it
   * saw (nginx `proxy_set_header X-Real-IP $remote_addr`), but appends to `X-Forwarded-For`.
   */
  bounded: boolean;
}

const trustCache = new WeakMap<ParsedProject, ProxyTrust>();

/** How the project's app (wherever it is configured) trusts proxies; read once per project from the files that say. */
export function proxyTrust(project: ParsedProject): ProxyTrust {
  let trust = trustCache.get(project);
  if (trust) return trust;
  const texts = project.filesWhere((file) => /trust proxy|trustProxy|\.proxy\s*=|proxy\s*:\s*true|maxIpsCount/.test(file.text)).map((file) => file.text);
  trust = {
    all: texts.some((text) => TRUST_ALL_PROXIES.test(text) || (KOA_PROXY.test(text) && !/\bmaxIpsCount\b/.test(text))),
    bounded: texts.some((text) => BOUNDED_TRUST.test(text)),
  };
  trustCache.set(project, trust);
  return trust;
}
