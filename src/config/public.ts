/**
 * The config API the package exports. Its declarations name only the tool's own types: the validation library is
 * bundled into the build (scripts/vendor-dependencies.mjs) and is not installed with the package.
 */
import { loadConfigFile as loadAndValidate } from './load.js';
import type { AuditConfig, RuleInfo } from './settings.js';

export { ConfigError, findConfigFile } from './find.js';

/** Reads and validates a config file. Throws `ConfigError`. */
export function loadConfigFile(file: string, rules?: readonly RuleInfo[]): AuditConfig {
  return loadAndValidate(file, rules);
}
