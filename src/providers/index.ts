/** Every supported AI provider. Adding an SDK family is one file plus a line here. */
import { anthropicProvider } from './anthropic.js';
import { httpProvider } from './http.js';
import { openaiProvider } from './openai.js';
import type { Provider } from './types.js';
import { vercelAiProvider } from './vercel-ai.js';

export const PROVIDERS: readonly Provider[] = [openaiProvider, anthropicProvider, vercelAiProvider, httpProvider];

export type { AiCallMatch, Provider } from './types.js';

/** Every package whose client class stands for an instance when used as a type. */
export const SDK_MODULES: ReadonlySet<string> = new Set(PROVIDERS.flatMap((p) => p.sdkModules));
