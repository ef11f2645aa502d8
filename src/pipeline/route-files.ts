/**
 * What a route file can affect beyond itself, from its path and text: decides which route files can be
 * analysed apart (on another thread), or left unparsed when nothing they import can reach a paid call.
 */
import type { IndexedFile } from '../parse/source-index.js';
import { isLayerFileName, isOwnRouteFileName, registersRoutesText } from './triggers.js';

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
  return isLayerFileName(file.relative);
}

/** A file of a file-based router that defines its own routes and nothing other routes depend on. */
export function hasOnlyItsOwnRoutes(file: IndexedFile): boolean {
  return isOwnRouteFileName(file.relative) && !isLayerFile(file) && !registersRoutesText(file.text);
}
