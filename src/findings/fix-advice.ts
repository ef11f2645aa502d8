/**
 * One fix section per endpoint in the text report: the distinct fixes of its findings, written for the
 * endpoint's framework (its own rate-limit library, the guard command that exists for it), instead of one
 * paragraph per finding that repeats the same advice.
 */
import type { Endpoint, Finding } from '../model.js';

/** The rate limiter each framework's users reach for; a store-backed one where requests share no process. */
const LIMITER_BY_FRAMEWORK: Readonly<Record<string, string>> = {
  express: 'express-rate-limit',
  fastify: '@fastify/rate-limit',
  koa: 'koa-ratelimit',
  hono: 'hono-rate-limiter',
  nestjs: '@nestjs/throttler',
};
const STORE_BACKED_LIMITER = 'a store-backed limiter such as @upstash/ratelimit';

/** The `guard --framework` value for the frameworks the guard generator supports. */
const GUARD_BY_FRAMEWORK: Readonly<Record<string, string>> = {
  express: 'express',
  fastify: 'fastify',
  hono: 'hono',
  'nextjs-app': 'next',
  'nextjs-pages': 'next',
  'nextjs-server-action': 'next',
  sveltekit: 'sveltekit',
  remix: 'remix',
  astro: 'astro',
  nuxt: 'nuxt',
  'fetch-handler': 'workers',
  'cloudflare-pages': 'workers',
  // NestJS runs on Express unless the app chose @nestjs/platform-fastify.
  nestjs: 'express',
};

/** What to add after the command where its adapter needs a word of explanation. */
const GUARD_NOTE: Readonly<Record<string, string>> = {
  nestjs: ' (NestJS on its default Express platform: apply aiGuard.protect(...) with consumer.apply(...).forRoutes(...); on @nestjs/platform-fastify use --framework fastify)',
};

const GUARD_SENTENCE = /\s*A drop-in reference: npx ai-endpoint-audit guard --framework [^.]*\.$/;
/** How a rule's fix text names the guard command before it knows the endpoint's framework. */
const ANY_FRAMEWORK = /guard --framework [\w|]+\./;

/**
 * A rule's fix text for one endpoint: the guard command for its framework, or no guard sentence where no adapter
 * fits (a finding's `help` in the JSON report and SARIF).
 */
export function fixForEndpoint(fix: string, framework: string | undefined): string {
  // Every finding carries its fix: one string per rule and framework, not one per finding.
  const byFramework = fixesByFramework.get(fix) ?? fixesByFramework.set(fix, new Map()).get(fix)!;
  let text = byFramework.get(framework);
  if (text === undefined) byFramework.set(framework, (text = frameworkFix(fix, framework)));
  return text;
}

const fixesByFramework = new Map<string, Map<string | undefined, string>>();

function frameworkFix(fix: string, framework: string | undefined): string {
  if (!GUARD_SENTENCE.test(fix)) return fix;
  const guard = framework ? GUARD_BY_FRAMEWORK[framework] : undefined;
  if (!guard) return fix.replace(GUARD_SENTENCE, '');
  return fix.replace(ANY_FRAMEWORK, `guard --framework ${guard}${framework === 'nestjs' ? ' (fastify on @nestjs/platform-fastify)' : ''}.`);
}
const GENERIC_LIMITERS = '(express-rate-limit, @upstash/ratelimit)';

/** The fixes of an endpoint's findings, most severe first, each once, and the guard command when there is one. */
export function endpointFixes(endpoint: Endpoint, findings: readonly Finding[]): string[] {
  const fixes: string[] = [];
  let guardHelps = false;
  for (const finding of findings) {
    if (!finding.help) continue;
    guardHelps ||= GUARD_SENTENCE.test(finding.help);
    const fix = forFramework(finding.help.replace(GUARD_SENTENCE, ''), endpoint.framework);
    if (!fixes.includes(fix)) fixes.push(fix);
  }
  const guard = GUARD_BY_FRAMEWORK[endpoint.framework];
  if (guardHelps && guard) fixes.push(`A drop-in reference for all of these: npx ai-endpoint-audit guard --framework ${guard}${GUARD_NOTE[endpoint.framework] ?? ''}`);
  return fixes;
}

function forFramework(fix: string, framework: string): string {
  return fix.replace(GENERIC_LIMITERS, `(${LIMITER_BY_FRAMEWORK[framework] ?? STORE_BACKED_LIMITER})`);
}
