/** Every supported framework. Adding one is a file plus a line here. */
import { expressFramework } from './express.js';
import { nextAppFramework } from './nextjs-app.js';
import { nextPagesFramework } from './nextjs-pages.js';
import type { FrameworkPlugin } from './types.js';

export const FRAMEWORKS: readonly FrameworkPlugin[] = [expressFramework, nextAppFramework, nextPagesFramework];

export type { FrameworkContext, FrameworkPlugin, RouteEntry, RouteLink } from './types.js';
