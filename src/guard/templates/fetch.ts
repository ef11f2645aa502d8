/**
 * The AI route guard for any framework built on the web `Request` and `Response` (Next.js, Hono, SvelteKit,
 * Remix and React Router, Astro, Nuxt, Cloudflare Workers): one `check` that answers a refusal as a `Response` or
 * lets the request through with its validated input and the handle on its spend reservation:
 *
 *   const gate = await aiGuard.check(request, { route: 'chat' });
 *   if (!gate.ok) return gate.response;
 *   try {
 *     const completion = await callTheModel(gate.input.messages); // the server's model and output cap
 *     await gate.settle(completion.usage);
 *     return Response.json(...);
 *   } catch (error) {
 *     await gate.release(); // a failed call costs nothing
 *     return Response.json({ error: 'The model could not answer; try again.' }, { status: 502 });
 *   }
 *
 * The guard reads the request body itself: use `gate.input`, never the raw body.
 */
import { type Admission, BODY_TOO_LARGE, clientAddress, type GuardCore, type Pass, type Refusal, refuseWhenStoreIsDown, UNKNOWN_CLIENT } from './core.js';

export type GuardResult = { ok: false; response: Response } | Pass;

/**
 * The adapters call `core.admit` themselves, with these helpers:
 *
 *   answer(core.admit(context, route, requestAddress(core, request, peer), undefined, bodyReader(core, request)))
 *
 * `context` is what `authenticate` receives (the framework's request or event object); `peer` the connection's
 * address when the framework knows it (used only with `proxy: 'none'`).
 */
export function answer(admission: Promise<Admission>): Promise<GuardResult> {
  return admission.catch(refuseWhenStoreIsDown).then(toResult);
}

/** The client address a web request is counted under; see `clientAddress`. */
export function requestAddress(core: GuardCore<never>, request: Request, peer?: string): string {
  const ip = clientAddress(core.proxy, request.headers, peer);
  if (ip === UNKNOWN_CLIENT && core.proxy === 'none') warnOnce();
  return ip;
}

/** Reads the request's JSON body, only once the rate limits let it through, and no more than a valid one holds. */
export function bodyReader(core: GuardCore<never>, request: Request): () => Promise<unknown> {
  return () => readJson(request, core.maxBodyBytes);
}

let warned = false;

function warnOnce(): void {
  if (warned) return;
  warned = true;
  console.warn('ai-guard: this framework gives no client address, so every client shares one per-IP limit; set `proxy` to the platform in front of the app');
}

export function toResult(admission: Admission): GuardResult {
  return admission.ok ? admission : { ok: false, response: refusalResponse(admission) };
}

export function refusalResponse(refusal: Refusal): Response {
  return Response.json(refusal.body, { status: refusal.status, headers: refusal.headers });
}

/** The JSON body, or null when it is not JSON; reading stops as soon as it passes `maxBytes`. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return BODY_TOO_LARGE;
  if (!request.body) return null;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return BODY_TOO_LARGE;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
