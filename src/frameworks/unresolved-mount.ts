/**
 * A router or sub-app mounted where the scanner cannot follow (a loop over a folder, a computed prefix): its
 * routes are reported relative to it, and the mount is an element the analysis could not see, since middleware
 * given at the mount would run before every one of its routes.
 */
import ts from '../typescript.cjs';
import { locationOf } from '../semantic/ast.js';
import type { ParsedProject } from '../parse/program.js';
import type { RouteEntry } from './types.js';

export function unresolvedMount(creation: ts.Node, project: ParsedProject): Pick<RouteEntry, 'mount' | 'unseen'> {
  const holder = ts.isVariableDeclaration(creation.parent) ? creation.parent.name.getText() : creation.getText();
  return {
    mount: 'unresolved',
    unseen: [
      {
        name: `the mount of ${holder}`,
        description: `the mount of ${holder}, which the analysis could not follow: middleware given there is unknown`,
        location: locationOf(project, creation),
        mayProvide: ['auth', 'rateLimit', 'spendCap'],
        named: false,
      },
    ],
  };
}
