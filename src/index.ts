/** Public API: scan paths and get the endpoints, findings and errors; format them with a reporter. */
export { scan, ScanUsageError, type ScanOptions } from './engine/scan.js';
export { renderJson } from './report/json.js';
export { renderSarif } from './report/sarif.js';
export { renderText } from './report/text.js';
export { RULES } from '../rules/index.js';
export type * from './model.js';
