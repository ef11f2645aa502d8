// Regenerates schema/ai-endpoint-audit.schema.json from the config's zod schema. Run `npm run schema`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ruleInfo } from '../dist/src/config/load.js';
import { configJsonSchemaText } from '../dist/src/config/schema.js';

const target = fileURLToPath(new URL('../schema/ai-endpoint-audit.schema.json', import.meta.url));
writeFileSync(target, configJsonSchemaText(ruleInfo()));
console.log(`wrote ${target}`);
