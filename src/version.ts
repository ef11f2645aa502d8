/** The package's name and version, read from package.json at run time. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageJson(): { name: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ai-endpoint-audit' && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  return { name: 'ai-endpoint-audit', version: '0.0.0' };
}

export const TOOL = findPackageJson();
