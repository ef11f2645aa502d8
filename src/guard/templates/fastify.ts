/**
 * The AI route guard for Fastify (4 and 5): a `preHandler` for each paid route.
 *
 *   app.post('/api/chat', { preHandler: aiGuard.protect({ route: 'chat' }) }, async (request, reply) => {
 *     const call = paidCall(request);
 *     try {
 *       const completion = await openai.chat.completions.create({
 *         model: aiGuard.model.id,
 *         max_tokens: aiGuard.model.maxOutputTokens,
 *         messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...call.input.messages],
 *       });
 *       await call.settle(completion.usage);
 *       return { reply: completion.choices[0].message.content };
 *     } catch (error) {
 *       await call.release();
 *       return reply.code(502).send({ error: 'The model could not answer; try again.' });
 *     }
 *   });
 *
 * The client address is the socket's peer unless `proxy` names what stands in front; Fastify's own
 * `trustProxy` does not change what the guard counts.
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { clientAddress, createGuardCore, type Pass, refuseWhenStoreIsDown } from './core.js';
import type { GuardOptions, RouteOptions } from './types.js';

export type FastifyGuardOptions = GuardOptions<FastifyRequest>;

const passes = new WeakMap<FastifyRequest, Pass>();

export function createFastifyGuard(options: FastifyGuardOptions) {
  const core = createGuardCore(options);

  /** The preHandler for one paid route. */
  function protect(route: RouteOptions): preHandlerAsyncHookHandler {
    core.assertRoute(route);
    return async function aiGuard(request: FastifyRequest, reply: FastifyReply) {
      const ip = clientAddress(core.proxy, request.headers, request.socket.remoteAddress);
      const admission = await core.admit(request, route, ip, request.body).catch(refuseWhenStoreIsDown);
      if (!admission.ok) return reply.code(admission.status).headers(admission.headers).send(admission.body);
      passes.set(request, admission);
    };
  }

  return { protect, model: core.model, settings: core.settings };
}

/** The guarded call of this request: its validated input, and settle or release. */
export function paidCall(request: FastifyRequest): Pass {
  const pass = passes.get(request);
  if (!pass) throw new Error('ai-guard: this route is not behind aiGuard.protect()');
  return pass;
}
