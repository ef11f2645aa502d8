/**
 * What a route file can affect beyond itself, from its path and text: decides which route files can be
 * analysed apart (on another thread), or left unparsed when nothing they import can reach a paid call.
 */
import type { IndexedFile } from './source-index.js';

/** Middleware and hooks the routes of file-based routers run behind (Next.js, SvelteKit, Astro, Nitro). */
const LAYER_FILE = /(^|\/)((middleware|proxy)\.(ts|js|mjs)|src\/hooks\.server\.(ts|js|mjs)|src\/middleware(\/index)?\.(ts|js|mjs)|server\/middleware\/.*)$/;
/** Folder conventions under which each file is routes of its own: Next.js, SvelteKit, Nuxt, Remix, Astro. */
const FILE_ROUTE = /(^|\/)(app\/(.+\/)?route\.(ts|tsx|js|jsx|mjs|cjs)$|pages\/api\/|src\/routes\/(.+\/)?\+server\.(ts|js|mjs)$|server\/(api|routes)\/|app\/routes\/|src\/pages\/.+\.(ts|js|mjs)$)/;
/** Imports, directives and calls of frameworks whose files register or mount routes across files. */
const REGISTERS_ROUTES = /['"](?:express|koa|@koa\/|hono|fastify|@nestjs\/|@trpc\/|next-connect|use server)[^'"]*['"]|\b(?:createTRPCRouter|publicProcedure|protectedProcedure)\b/;

/** Frameworks whose apps and routers are created in one file and given routes and middleware in others. */
export const MOUNTING_PACKAGES = /['"](?:express|koa|@koa\/router|koa-router|hono|hono\/[\w-]+|fastify|fastify-plugin|@trpc\/server(?:\/[\w/-]+)?)['"]/;
/** A call that registers a route (with a path), middleware, or an RPC procedure or router. */
const REGISTRATION_CALL = /\.(?:get|post|put|patch|delete|all|route|options|head|register)\s*\(\s*['"`]|\.(?:use|register|addHook|query|mutation|subscription)\s*\(|\brouter\s*\(\s*\{/;

/**
 * Whether a file may register routes or middleware on an app or router it imports (`router.post('/chat', ...)`
 * in a file that imports `router` from another): such a file names no framework itself.
 */
export function mayRegisterRoutes(text: string): boolean {
  return REGISTRATION_CALL.test(text);
}

/** A layer file: it changes what runs before other files' routes. */
export function isLayerFile(file: IndexedFile): boolean {
  return LAYER_FILE.test(file.relative);
}

/** A file of a file-based router that defines its own routes and nothing other routes depend on. */
export function hasOnlyItsOwnRoutes(file: IndexedFile): boolean {
  return FILE_ROUTE.test(file.relative) && !isLayerFile(file) && !REGISTERS_ROUTES.test(file.text);
}
