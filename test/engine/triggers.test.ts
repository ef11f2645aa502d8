/**
 * The index's pre-filters are built from the plugins' declarations: a provider or framework whose packages,
 * hosts or file conventions the pre-filter missed would have its files skipped before any analysis.
 */
import { describe, expect, it } from 'vitest';
import { indexedFile, mentionsAi } from '../../src/pipeline/build-index.js';
import { callsWithoutImports, isLayerFileName, isOwnRouteFileName, isRouteFileByConvention } from '../../src/pipeline/triggers.js';
import { FRAMEWORKS } from '../../src/frameworks/index.js';
import { PROVIDERS } from '../../src/providers/index.js';
import { keyEnvProvider } from '../../src/providers/hosts.js';

/** Module names a declaration covers: `x` itself, and for `x/*` also a subpath. */
function spellings(declared: string): string[] {
  return declared.endsWith('/*') ? [declared.slice(0, -2), `${declared.slice(0, -2)}/sub`] : [declared];
}

describe('index pre-filters from the plugin registry', () => {
  it("marks a file importing any provider's package, plainly or the Deno way, as mentioning AI", () => {
    for (const provider of PROVIDERS) {
      for (const name of provider.triggers.packages.flatMap(spellings)) {
        expect(mentionsAi(`import x from '${name}';`), `${provider.name}: ${name}`).toBe(true);
        expect(mentionsAi(`import x from "npm:${name}@1.2.3";`), `${provider.name}: npm:${name}`).toBe(true);
      }
    }
    expect(mentionsAi("import x from 'left-pad';\nconst openaiStyle = 1;")).toBe(false);
  });

  it("marks a file calling any provider's declared host as mentioning AI", () => {
    const hosts = PROVIDERS.flatMap((p) => (p.triggers.hosts ?? []).flatMap((h) => h.hosts));
    expect(hosts.length).toBeGreaterThan(10);
    for (const host of hosts) {
      const url = host.includes('*') ? `\`https://${host.replace('*', '${region}')}/v1\`` : `'https://${host}/v1'`;
      expect(mentionsAi(`fetch(${url})`), host).toBe(true);
    }
  });

  it("marks a file reading a provider's key from the environment, the provider of raw requests to a configured URL", () => {
    const hosts = PROVIDERS.flatMap((p) => p.triggers.hosts ?? []);
    for (const host of hosts) {
      for (const name of host.keyEnv ?? []) {
        expect(mentionsAi(`const key = process.env.${name}_API_KEY;`), name).toBe(true);
        expect(keyEnvProvider(`${name}_API_KEY`)?.provider, name).toBe(host.provider);
      }
    }
    expect(keyEnvProvider('NEXT_PUBLIC_OPENAI_API_KEY')?.provider).toBe('openai');
    expect(keyEnvProvider('AZURE_OPENAI_API_KEY')?.provider).toBe('azure-openai');
    expect(keyEnvProvider('FAL_KEY')?.provider).toBe('fal');
    expect(keyEnvProvider('OPENAIAPI_KEY_VALUE')?.provider).toBe('openai');
    expect(keyEnvProvider('ANTHROPIC_SECRET_KEY')?.provider).toBe('anthropic');
    expect(mentionsAi('const key = process.env.OPENAIAPI_KEY_VALUE;')).toBe(true);
    for (const name of ['OPENAI_URL', 'INTERNAL_API_KEY', 'STRIPE_SECRET', 'OPENAI_MODEL', 'OPENAIAPI_TEXT_URL', 'MY_GROQUE_KEY']) expect(keyEnvProvider(name), name).toBeUndefined();
    expect(mentionsAi('const url = process.env.OPENAI_BASE_URL;')).toBe(false);
  });

  it("marks a file importing any framework's package as able to hold routes", () => {
    for (const framework of FRAMEWORKS) {
      for (const name of (framework.triggers.packages ?? []).flatMap(spellings)) {
        expect(indexedFile('/p/lib/x.ts', 'lib/x.ts', `import x from '${name}';`).mentionsRoutes, `${framework.name}: ${name}`).toBe(true);
      }
    }
    expect(indexedFile('/p/lib/x.ts', 'lib/x.ts', "import x from 'left-pad';").mentionsRoutes).toBe(false);
  });

  it('declares how every framework is switched on', () => {
    for (const framework of FRAMEWORKS) {
      const t = framework.triggers;
      const declared = (t.packages?.length ?? 0) + (t.markers?.length ?? 0) + (t.routeFiles ? 1 : 0);
      expect(declared, framework.name).toBeGreaterThan(0);
    }
  });

  it('knows route, own-route and layer files by the frameworks’ folder conventions', () => {
    const routes = ['app/api/chat/route.ts', 'pages/api/chat.ts', 'src/routes/api/+server.ts', 'server/api/chat.post.ts', 'app/routes/chat.tsx', 'src/pages/api/chat.ts', 'api/chat.ts', 'functions/api/chat.js', 'netlify/functions/chat.mts'];
    for (const file of routes) expect(isRouteFileByConvention(file), file).toBe(true);
    for (const file of ['app/api/chat/route.ts', 'src/routes/api/+server.ts', 'server/api/chat.post.ts']) expect(isOwnRouteFileName(file), file).toBe(true);
    for (const file of ['middleware.ts', 'src/hooks.server.ts', 'src/middleware.ts', 'server/middleware/auth.ts']) {
      expect(isLayerFileName(file), file).toBe(true);
      expect(isRouteFileByConvention(file), file).toBe(true);
    }
    for (const file of ['lib/openai.ts', 'src/components/Chat.tsx', 'scripts/seed.ts']) expect(isRouteFileByConvention(file), file).toBe(false);
    expect(isOwnRouteFileName('src/routes/+layout.server.ts')).toBe(false);
  });

  it('knows the code frameworks run other modules from without an import, by path or text', () => {
    expect(callsWithoutImports('server/api/chat.post.ts', 'export default defineEventHandler(() => summarise())')).toBe(true);
    const convex = "import { internal } from './_generated/api';\nawait ctx.scheduler.runAfter(0, internal.notes.summarize, { id });";
    expect(callsWithoutImports('convex/notes.ts', convex)).toBe(true);
    expect(callsWithoutImports('convex/notes.ts', "import { v } from 'convex/values';")).toBe(false);
    expect(callsWithoutImports('lib/openai.ts', 'export const run = () => summarise();')).toBe(false);
  });
});
