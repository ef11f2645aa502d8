/**
 * Every supported AI provider. Adding an SDK family is a module that declares its `triggers` (packages, hosts,
 * other markers) and matches its paid calls, plus a line here: the index's AI markers are built from them.
 */
import { anthropicProvider } from './anthropic.js';
import { assemblyaiProvider } from './assemblyai.js';
import { azureOpenaiProvider } from './azure-openai.js';
import { bedrockProvider } from './bedrock.js';
import { cohereProvider } from './cohere.js';
import { deepgramProvider } from './deepgram.js';
import { elevenlabsProvider } from './elevenlabs.js';
import { falProvider } from './fal.js';
import { genkitProvider } from './genkit.js';
import { googleProvider } from './google.js';
import { groqProvider } from './groq.js';
import { httpProvider } from './http.js';
import { huggingfaceProvider } from './huggingface.js';
import { langchainProvider } from './langchain.js';
import { llamaindexProvider } from './llamaindex.js';
import { mastraProvider } from './mastra.js';
import { mistralProvider } from './mistral.js';
import { openaiProvider } from './openai.js';
import { openaiAgentsProvider } from './openai-agents.js';
import { perplexityProvider } from './perplexity.js';
import { replicateProvider } from './replicate.js';
import { togetherProvider } from './together.js';
import type { Provider } from './types.js';
import { vercelAiProvider } from './vercel-ai.js';
import { workersAiProvider } from './workers-ai.js';

export const PROVIDERS: readonly Provider[] = [
  openaiProvider,
  openaiAgentsProvider,
  anthropicProvider,
  vercelAiProvider,
  googleProvider,
  mistralProvider,
  cohereProvider,
  groqProvider,
  togetherProvider,
  replicateProvider,
  huggingfaceProvider,
  perplexityProvider,
  elevenlabsProvider,
  deepgramProvider,
  assemblyaiProvider,
  falProvider,
  bedrockProvider,
  azureOpenaiProvider,
  langchainProvider,
  llamaindexProvider,
  mastraProvider,
  genkitProvider,
  workersAiProvider,
  httpProvider,
];

export type { AiCallMatch, InputArgument, Provider } from './types.js';
export { outputCapValue, setsOutputCap } from './types.js';

/** Every package whose client class stands for an instance when used as a type. */
export const SDK_MODULES: ReadonlySet<string> = new Set(PROVIDERS.flatMap((p) => p.sdkModules));
