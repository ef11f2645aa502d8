/**
 * Every supported framework. Adding one is a module that declares its `triggers` and finds its routes, plus a
 * line here: the index's pre-filters and route-file tests are built from these declarations.
 */
import { expoRouterFramework } from './expo-router.js';
import { expressFramework } from './express.js';
import { fastifyFramework } from './fastify.js';
import { honoFramework } from './hono.js';
import { koaFramework } from './koa.js';
import { nestFramework } from './nestjs.js';
import { nextAppFramework } from './nextjs-app.js';
import { nextPagesFramework } from './nextjs-pages.js';
import { astroFramework } from './astro.js';
import { cloudflareAgentsFramework } from './cloudflare-agents.js';
import { convexFramework } from './convex.js';
import { firebaseFramework, lambdaFramework, netlifyFramework, vercelFramework } from './functions.js';
import { nextServerActionsFramework } from './next-server-actions.js';
import { nodeHttpFramework } from './node-http.js';
import { nuxtFramework } from './nuxt.js';
import { remixFramework } from './remix.js';
import { svelteKitFramework } from './sveltekit.js';
import { trpcFramework } from './trpc.js';
import { orpcFramework } from './orpc.js';
import { cloudflarePagesFramework, fetchHandlerFramework } from './workers.js';
import type { FrameworkPlugin } from './types.js';
import { FRAMEWORK_INDEPENDENT_LIBRARIES, type KnownLibraries, mergeLibraries } from '../semantic/libraries.js';

export const FRAMEWORKS: readonly FrameworkPlugin[] = [
  expressFramework, fastifyFramework, koaFramework, honoFramework, nestFramework, nextAppFramework, nextPagesFramework,
  nextServerActionsFramework, svelteKitFramework, nuxtFramework, remixFramework, astroFramework, trpcFramework, orpcFramework,
  fetchHandlerFramework, cloudflarePagesFramework, lambdaFramework, firebaseFramework, vercelFramework, netlifyFramework,
  expoRouterFramework, cloudflareAgentsFramework, nodeHttpFramework, convexFramework,
];

/** The protection libraries the analysis recognises: those any framework uses, then each framework's own. */
export const PROTECTION_LIBRARIES: KnownLibraries = mergeLibraries([FRAMEWORK_INDEPENDENT_LIBRARIES, ...FRAMEWORKS.map((f) => f.libraries)]);

export type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
