/**
 * The AI route guard for Express (4 and 5). Put `aiGuard.protect(...)` in front of a paid route, after a
 * JSON body parser whose limit fits the input limits (`express.json({ limit: '1mb' })`):
 *
 *   app.post('/api/chat', aiGuard.protect({ route: 'chat' }), async (req, res) => {
 *     const call = paidCall(res);
 *     const completion = await openai.chat.completions.create({
 *       model: aiGuard.model.id,
 *       max_tokens: aiGuard.model.maxOutputTokens,
 *       messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...req.body.messages],
 *     });
 *     await call.settle(completion.usage);
 *     res.json({ reply: completion.choices[0].message.content });
 *   });
 *
 * By the time the handler runs, `req.body` holds only the validated input (`messages`, and `prompt` for a
 * `{ prompt }` body); `paidCall(res).input` is the same.
 */
import type { Request, RequestHandler, Response } from 'express';
import { clientAddress, createGuardCore, refuseWhenStoreIsDown } from './core.js';
import type { GuardOptions, PaidCall, RouteOptions } from './types.js';

export type ExpressGuardOptions = GuardOptions<Request>;

const PAID_CALL = 'aiGuardPaidCall';

export function createExpressGuard(options: ExpressGuardOptions) {
  const core = createGuardCore(options);

  /** The middleware for one paid route. Async errors go to `next`, which Express 4 and 5 both handle. */
  function protect(route: RouteOptions): RequestHandler {
    core.assertRoute(route);
    return function aiGuard(req, res, next) {
      const ip = clientAddress(core.proxy, req.headers, req.socket.remoteAddress);
      core.admit(req, route, ip, req.body).catch(refuseWhenStoreIsDown).then((admission) => {
        if (!admission.ok) {
          res.set(admission.headers).status(admission.status).json(admission.body);
          return;
        }
        req.body = admission.input;
        res.locals[PAID_CALL] = admission;
        next();
      }, next);
    };
  }

  return { protect, model: core.model, settings: core.settings };
}

/** The guarded call of this response: settle it from the model's usage, or release it if the call failed. */
export function paidCall(res: Response): PaidCall {
  const call = res.locals[PAID_CALL] as PaidCall | undefined;
  if (!call) throw new Error('ai-guard: this route is not behind aiGuard.protect()');
  return call;
}
