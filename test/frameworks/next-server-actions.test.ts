/** Next.js server actions: which `'use server'` exports the browser can call, and one endpoint per handler. */
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects } from '../rules/project.js';
import { chatCall, endpointsOf } from './server-helpers.js';

afterAll(removeProjects);

const action = (name: string) => `export async function ${name}(topic: string) {\n  return ${chatCall('String(topic).slice(0, 200)')};\n}\n`;
/** A `'use server'` module at `app/<folder>` exporting one paid action per name. */
const actionsModule = (depth: number, ...names: string[]) =>
  `'use server';\nimport { openai } from '${'../'.repeat(depth)}lib/openai';\n\n${names.map(action).join('\n')}`;

const routes = async (files: Record<string, string>) =>
  (await endpointsOf(files)).map((e) => `${e.framework} ${e.method} ${e.path} ${e.location.file}`).sort();

describe("'use server' exports", () => {
  it('are endpoints when client code imports them or server code hands them on, helpers when only server code calls them', async () => {
    const found = await routes({
      'app/actions.ts': actionsModule(1, 'draft', 'title', 'tags', 'outline', 'digest', 'unused'),
      'components/draft-box.tsx': `'use client';\nimport { draft } from '../app/actions';\nexport function DraftBox() {\n  return <button onClick={() => draft('intro')}>Draft</button>;\n}\n`,
      'app/api/title/route.ts': `import { title } from '../../actions';\nexport async function POST(req: Request) {\n  const { topic } = await req.json();\n  return Response.json(await title(topic));\n}\n`,
      'app/tags/page.tsx': `import { TagButton } from '../../components/tag-button';\nimport { tags } from '../actions';\nexport default function Page() {\n  return <TagButton onTag={tags} />;\n}\n`,
      'components/tag-button.tsx': `'use client';\nexport function TagButton({ onTag }: { onTag: (t: string) => Promise<unknown> }) {\n  return <button onClick={() => onTag('x')}>Tag</button>;\n}\n`,
      // A shared module that only calls the action: served when the browser bundle includes it...
      'lib/outline.ts': `import { outline } from '../app/actions';\nexport const outlineFor = (topic: string) => outline(topic);\n`,
      'components/outline-panel.tsx': `'use client';\nimport { outlineFor } from '../lib/outline';\nexport const OutlinePanel = () => <button onClick={() => outlineFor('x')}>Outline</button>;\n`,
      // ...a helper when only a route handler imports it.
      'lib/digest.ts': `import { digest } from '../app/actions';\nexport const weeklyDigest = (topic: string) => digest(topic);\n`,
      'app/api/digest/route.ts': `import { weeklyDigest } from '../../../lib/digest';\nexport async function GET() {\n  return Response.json(await weeklyDigest('week'));\n}\n`,
    });
    expect(found).toEqual([
      'nextjs-app GET /api/digest app/api/digest/route.ts',
      'nextjs-app POST /api/title app/api/title/route.ts',
      'nextjs-server-action POST action:draft app/actions.ts',
      'nextjs-server-action POST action:outline app/actions.ts',
      'nextjs-server-action POST action:tags app/actions.ts',
      // No file imports it: the scan cannot tell who calls it, so it stays an endpoint.
      'nextjs-server-action POST action:unused app/actions.ts',
    ]);
  });

  it('follow barrels and namespace imports to the code that uses each export', async () => {
    const found = await routes({
      'app/ai/actions.ts': actionsModule(2, 'rewrite', 'classify'),
      'app/ai/index.ts': `export * from './actions';\n`,
      'components/editor.tsx': `'use client';\nimport { rewrite } from '../app/ai';\nexport const Editor = () => <button onClick={() => rewrite('x')}>Rewrite</button>;\n`,
      'app/api/classify/route.ts': `import * as ai from '../../ai/actions';\nexport async function POST(req: Request) {\n  return Response.json(await ai.classify(await req.text()));\n}\n`,
    });
    expect(found).toEqual([
      'nextjs-app POST /api/classify app/api/classify/route.ts',
      'nextjs-server-action POST action:rewrite app/ai/actions.ts',
    ]);
  });

  it('are found imported by folder (`.`) as well as by name', async () => {
    const found = await routes({
      'app/assist/index.ts': actionsModule(2, 'assist'),
      'app/assist/assist-button.tsx': `'use client';\nimport { assist } from '.';\nexport const AssistButton = () => <button onClick={() => assist('x')}>Assist</button>;\n`,
      'app/api/assist/route.ts': `import { assist } from '../../assist';\nexport async function POST(req: Request) {\n  return Response.json(await assist(await req.text()));\n}\n`,
    });
    expect(found).toEqual(['nextjs-app POST /api/assist app/api/assist/route.ts', 'nextjs-server-action POST action:assist app/assist/index.ts']);
  });

  it('stay endpoints when server code stores them in an object, loads them dynamically or a Pages Router page imports them', async () => {
    const found = await routes({
      'app/actions.ts': actionsModule(1, 'submit', 'legacy', 'called'),
      'app/lazy-actions.ts': actionsModule(1, 'lazy'),
      'app/ai.tsx': `import { createAI } from 'ai/rsc';\nimport { submit } from './actions';\nexport const AI = createAI({ actions: { submit } });\n`,
      'lib/loader.ts': `export async function load() {\n  const { lazy } = await import('../app/lazy-actions');\n  return lazy;\n}\n`,
      'pages/legacy.tsx': `import { legacy } from '../app/actions';\nexport default function Legacy() {\n  return <button onClick={() => legacy('x')}>Go</button>;\n}\n`,
      'app/page.tsx': `import { called } from './actions';\nexport default async function Home() {\n  return <p>{await called('home')}</p>;\n}\n`,
    });
    expect(found).toEqual([
      'nextjs-server-action POST action:lazy app/lazy-actions.ts',
      'nextjs-server-action POST action:legacy app/actions.ts',
      'nextjs-server-action POST action:submit app/actions.ts',
    ]);
  });

  it('of a route file that starts with the directive are that route, once', async () => {
    const found = await routes({
      'app/api/chat/route.ts': `'use server';\nimport { openai } from '../../../lib/openai';\nexport async function POST(req: Request) {\n  const { q } = await req.json();\n  return Response.json(${chatCall('String(q).slice(0, 200)')});\n}\n`,
    });
    expect(found).toEqual(['nextjs-app POST /api/chat app/api/chat/route.ts']);
  });

  it('inline in a component stay endpoints', async () => {
    const found = await routes({
      'app/ask/page.tsx': `import { openai } from '../../lib/openai';\nexport default function Ask() {\n  async function ask(form: FormData) {\n    'use server';\n    ${chatCall("String(form.get('q')).slice(0, 200)")};\n  }\n  return <form action={ask}><input name="q" /></form>;\n}\n`,
    });
    expect(found).toEqual(['nextjs-server-action POST action:ask app/ask/page.tsx']);
  });
});
