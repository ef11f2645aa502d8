/** Public API: scan paths and get the endpoints, findings and errors; format them with a reporter. */
export { scan, ScanUsageError, type ScanOptions, type ScanProgress } from './pipeline/scan.js';
export { ConfigError, findConfigFile, loadConfigFile } from './config/public.js';
export type { AuditConfig, CustomFunctions, FailOn, RuleSetting } from './config/settings.js';
export { renderGithub } from './report/github.js';
export { renderJson, renderJsonPieces } from './report/json.js';
export { renderMarkdown } from './report/markdown.js';
export { renderSarif, renderSarifPieces } from './report/sarif.js';
export { renderText } from './report/text.js';
export { RULES } from '../rules/index.js';
export type * from './model.js';
