import { describe as group, expect, it } from 'vitest';
import { callsIn, unboundedIn } from './scan-snippet.js';

group('LangChain chat models', () => {
  it.each([
    ["import { ChatOpenAI } from '@langchain/openai';", "new ChatOpenAI({ model: 'gpt-4o-mini', maxTokens: 400 })", 'ChatOpenAI', 'gpt-4o-mini'],
    ["import { ChatAnthropic } from '@langchain/anthropic';", "new ChatAnthropic({ model: 'claude-3-5-haiku-latest' })", 'ChatAnthropic', 'claude-3-5-haiku-latest'],
    ["import { ChatGoogleGenerativeAI } from '@langchain/google-genai';", "new ChatGoogleGenerativeAI({ model: 'gemini-1.5-flash', maxOutputTokens: 512 })", 'ChatGoogleGenerativeAI', 'gemini-1.5-flash'],
    ["import { ChatMistralAI } from '@langchain/mistralai';", "new ChatMistralAI({ model: 'mistral-large-latest' })", 'ChatMistralAI', 'mistral-large-latest'],
    ["import { ChatGroq } from '@langchain/groq';", "new ChatGroq({ model: 'llama-3.3-70b-versatile' })", 'ChatGroq', 'llama-3.3-70b-versatile'],
    ["import { ChatBedrockConverse } from '@langchain/aws';", "new ChatBedrockConverse({ model: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-east-1' })", 'ChatBedrockConverse', 'anthropic.claude-3-haiku-20240307-v1:0'],
    ["import { ChatOpenAI } from 'langchain/chat_models/openai';", "new ChatOpenAI({ modelName: 'gpt-3.5-turbo' })", 'ChatOpenAI', 'gpt-3.5-turbo'],
  ])('recognises invoke on %s', async (imports, construction, className, model) => {
    expect(await callsIn(`${imports}\nconst llm = ${construction};`, `  res.json(await llm.invoke(req.body.question));`)).toEqual([`langchain ${className}.invoke ${model}`]);
  });

  it('recognises stream, batch and the legacy call, also after bindTools', async () => {
    expect(
      await callsIn(
        `import { ChatOpenAI } from '@langchain/openai';
const llm = new ChatOpenAI({ model: 'gpt-4o' });`,
        `  const s = await llm.stream('a');
  const b = await llm.batch(['a', 'b']);
  const c = await llm.call([]);
  const t = await llm.bindTools([]).invoke('x');
  res.json({ s, b, c, t });`,
      ),
    ).toEqual(['langchain ChatOpenAI.stream gpt-4o', 'langchain ChatOpenAI.batch gpt-4o', 'langchain ChatOpenAI.call gpt-4o', 'langchain ChatOpenAI.invoke gpt-4o']);
  });

  it('does not count a local Ollama chat model', async () => {
    expect(
      await callsIn(`import { ChatOllama } from '@langchain/ollama';\nconst llm = new ChatOllama({ model: 'llama3.1' });`, `  res.json(await llm.invoke(req.body.question));`),
    ).toEqual([]);
  });

  it('does not count prompt templates, parsers or message histories', async () => {
    expect(
      await callsIn(
        `import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatMessageHistory } from 'langchain/stores/message/in_memory';
const prompt = ChatPromptTemplate.fromTemplate('Say {x}');
const history = new ChatMessageHistory();`,
        `  const p = await prompt.invoke({ x: req.body.x });
  const s = await new StringOutputParser().invoke('text');
  res.json({ p, s, h: await history.getMessages() });`,
      ),
    ).toEqual([]);
  });

  it('analyses messages passed positionally', async () => {
    const setup = `import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
const llm = new ChatAnthropic({ model: 'claude-3-5-haiku-latest' });`;
    expect(await unboundedIn(setup, `  res.json(await llm.invoke(req.body.messages));`)).toEqual(['input: array-length,item-size,roles']);
    expect(await unboundedIn(setup, `  res.json(await llm.invoke([new SystemMessage('Be brief.'), new HumanMessage(req.body.question)]));`)).toEqual(['input: item-size']);
    expect(
      await unboundedIn(setup, `  res.json(await llm.invoke([new SystemMessage('Be brief.'), new HumanMessage(String(req.body.question).slice(0, 1000))]));`),
    ).toEqual([]);
  });
});

group('LangChain chains', () => {
  it('recognises a chain built with pipe', async () => {
    expect(
      await callsIn(
        `import { ChatOpenAI } from '@langchain/openai';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StringOutputParser } from '@langchain/core/output_parsers';
const prompt = ChatPromptTemplate.fromMessages([['system', 'Answer in French.'], ['human', '{question}']]);
const chain = prompt.pipe(new ChatOpenAI({ model: 'gpt-4o-mini' })).pipe(new StringOutputParser());`,
        `  res.json(await chain.invoke({ question: req.body.question }));`,
      ),
    ).toEqual(['langchain chain(ChatOpenAI).invoke gpt-4o-mini']);
  });

  it('recognises RunnableSequence.from and a chain made in another module', async () => {
    expect(
      await callsIn(
        `import { buildChain } from './chain.js';`,
        `  const chain = buildChain();
  res.json(await chain.stream({ topic: req.body.topic }));`,
        {
          'src/chain.ts': `import { ChatGroq } from '@langchain/groq';
import { PromptTemplate } from '@langchain/core/prompts';
import { RunnableSequence } from '@langchain/core/runnables';
const model = new ChatGroq({ model: 'llama-3.1-8b-instant' });
export function buildChain() {
  return RunnableSequence.from([PromptTemplate.fromTemplate('Tell me about {topic}'), model]);
}
`,
        },
      ),
    ).toEqual(['langchain chain(ChatGroq).stream llama-3.1-8b-instant']);
  });

  it('recognises a legacy LLMChain and an agent built with an llm', async () => {
    expect(
      await callsIn(
        `import { ChatOpenAI } from '@langchain/openai';
import { LLMChain } from 'langchain/chains';
import { PromptTemplate } from '@langchain/core/prompts';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
const llm = new ChatOpenAI({ model: 'gpt-4o' });
const chain = new LLMChain({ llm, prompt: PromptTemplate.fromTemplate('{q}') });
const agent = createReactAgent({ llm, tools: [] });`,
        `  const a = await chain.call({ q: req.body.q });
  const b = await agent.invoke({ messages: req.body.messages });
  res.json({ a, b });`,
      ),
    ).toEqual(['langchain chain(ChatOpenAI).call gpt-4o', 'langchain chain(ChatOpenAI).invoke gpt-4o']);
  });

  it('does not count a chain around a local model', async () => {
    expect(
      await callsIn(
        `import { ChatOllama } from '@langchain/ollama';
import { ChatPromptTemplate } from '@langchain/core/prompts';
const chain = ChatPromptTemplate.fromTemplate('{q}').pipe(new ChatOllama({ model: 'llama3' }));`,
        `  res.json(await chain.invoke({ q: req.body.q }));`,
      ),
    ).toEqual([]);
  });

  it('analyses each template variable as input', async () => {
    expect(
      await unboundedIn(
        `import { ChatOpenAI } from '@langchain/openai';
import { ChatPromptTemplate } from '@langchain/core/prompts';
const chain = ChatPromptTemplate.fromTemplate('{context}\\n{question}').pipe(new ChatOpenAI({ model: 'gpt-4o-mini' }));`,
        `  res.json(await chain.invoke({ context: 'fixed', question: req.body.question, chat_history: req.body.history }));`,
      ),
    ).toEqual(['question: item-size', 'chat_history: array-length,item-size,roles']);
  });

  it('recognises embeddings', async () => {
    expect(
      await callsIn(
        `import { OpenAIEmbeddings } from '@langchain/openai';
const embeddings = new OpenAIEmbeddings({ model: 'text-embedding-3-small' });`,
        `  res.json(await embeddings.embedQuery(req.body.q));`,
      ),
    ).toEqual(['langchain OpenAIEmbeddings.embedQuery text-embedding-3-small']);
  });
});

group('LangChain v1 and LangGraph', () => {
  it('recognises models and agents named by a string', async () => {
    expect(await callsIn(`import { initChatModel } from 'langchain';\nconst model = await initChatModel('openai:gpt-4o');`, `  res.json(await model.invoke(req.body.q));`)).toEqual([
      'langchain initChatModel.invoke gpt-4o',
    ]);
    expect(
      await callsIn(`import { createAgent } from 'langchain';\nconst agent = createAgent({ model: 'anthropic:claude-sonnet-4-5', tools: [] });`, `  res.json(await agent.invoke({ messages: req.body.messages }));`),
    ).toEqual(['langchain createAgent.invoke claude-sonnet-4-5']);
  });

  it('does not count an agent on a local model', async () => {
    expect(await callsIn(`import { createAgent } from 'langchain';\nconst agent = createAgent({ model: 'ollama:llama3.1', tools: [] });`, `  res.json(await agent.invoke({ messages: req.body.messages }));`)).toEqual([]);
  });

  const model = `import { StateGraph, MessagesAnnotation } from '@langchain/langgraph';\nimport { ChatOpenAI } from '@langchain/openai';\nconst model = new ChatOpenAI({ model: 'gpt-4o' });`;

  it('follows a graph run into its nodes, chained on the graph or added to it later', async () => {
    const chained = `${model}\nasync function callModel(state: typeof MessagesAnnotation.State) {\n  return { messages: [await model.invoke(state.messages)] };\n}\nconst graph = new StateGraph(MessagesAnnotation).addNode('agent', callModel).addEdge('__start__', 'agent').compile();`;
    expect(await callsIn(chained, `  res.json(await graph.invoke({ messages: req.body.messages }));`)).toEqual(['langchain ChatOpenAI.invoke gpt-4o']);
    const later = `${model}\nconst workflow = new StateGraph(MessagesAnnotation);\nworkflow.addNode('agent', async (state) => ({ messages: [await model.invoke(state.messages)] }));\nworkflow.addEdge('__start__', 'agent');\nconst graph = workflow.compile();`;
    expect(await callsIn(later, `  res.json(await graph.stream({ messages: req.body.messages }));`)).toEqual(['langchain ChatOpenAI.invoke gpt-4o']);
  });

  it('a graph whose nodes call no model is not a paid call', async () => {
    const graph = `import { StateGraph, MessagesAnnotation } from '@langchain/langgraph';\nconst graph = new StateGraph(MessagesAnnotation).addNode('echo', (state) => ({ messages: state.messages })).compile();`;
    expect(await callsIn(graph, `  res.json(await graph.invoke({ messages: req.body.messages }));`)).toEqual([]);
  });
});
