/**
 * What a protection library looks like to the analysis: the authentication middleware and calls, the rate
 * limiters, the client-address helpers, the validator middleware and the harmless plumbing that frameworks bring
 * with them. Each framework plugin declares its own ecosystem's libraries (`FrameworkPlugin.libraries`); the
 * libraries below work with any framework. The engine merges them all and hands them to the facts.
 */
import type { RateLimitKey } from '../model.js';

/** Library middleware that authenticates: the registered value's signature, from its module. */
export interface AuthMiddlewareLibrary {
  module: string;
  signature: RegExp;
  name: string;
  /** The first argument `'anonymous'` selects a strategy that lets every caller through (passport). */
  anonymousStrategy?: boolean;
}

/** A call that refuses an anonymous caller by itself, or (with `option`) when given that option. */
export interface RefusingCallLibrary {
  module: RegExp;
  signature: RegExp;
  name: string;
  option?: string;
}

/** Middleware that limits the request rate, with the option or method that sets its key. */
export interface MiddlewareLimiterLibrary {
  module: string;
  signature?: RegExp;
  keyOption?: string;
  keyMethod?: string;
  /** What the limit is keyed on when the key option is not set. */
  defaultKey: RateLimitKey;
}

/** A limiter the code calls and whose answer it checks: `ratelimit.limit(key)`. */
export interface CallLimiterLibrary {
  module: string;
  signature: RegExp;
}

/** Exports that return the client's address as the platform sees it. */
export interface ClientAddressLibrary {
  module: string;
  names: RegExp;
}

/** Validator middleware: `zValidator('json', schema)` checks a request part against a schema. */
export interface ValidatorMiddlewareLibrary {
  module: string;
  name: string;
}

/** Packages (or some of their exports) known to provide no protection: parsers, loggers, CORS, plumbing. */
export interface HarmlessLibrary {
  module: RegExp;
  signature?: RegExp;
}

export interface ProtectionLibraries {
  authMiddleware?: readonly AuthMiddlewareLibrary[];
  /** Calls that refuse an anonymous caller on their own (`auth.protect()`), or when given an option. */
  refusingAuthCalls?: readonly RefusingCallLibrary[];
  /** Calls that throw when the credential does not verify: they refuse unless the failure is caught. */
  throwingVerifiers?: readonly RefusingCallLibrary[];
  /** Calls that read a token's claims without checking its signature (`jwt.decode(token)`): presence, not auth. */
  unverifiedDecoders?: readonly { module: RegExp; signature: RegExp }[];
  /** Request methods an auth plugin adds that throw (401) unless the caller's credential verifies. */
  verifyingRequestMethods?: readonly { method: string; name: string }[];
  middlewareLimiters?: readonly MiddlewareLimiterLibrary[];
  callLimiters?: readonly CallLimiterLibrary[];
  clientAddress?: readonly ClientAddressLibrary[];
  validatorMiddleware?: readonly ValidatorMiddlewareLibrary[];
  harmless?: readonly HarmlessLibrary[];
  /**
   * Packages whose classes the framework injects by type (`constructor(private jwt: JwtService)`): a parameter
   * or field typed with one stands for an instance, so its methods resolve to the package.
   */
  injectedClasses?: readonly string[];
}

export type KnownLibraries = { [K in keyof ProtectionLibraries]-?: NonNullable<ProtectionLibraries[K]> };

/** One table per kind from many declarations, in declaration order. */
export function mergeLibraries(declarations: readonly (ProtectionLibraries | undefined)[]): KnownLibraries {
  const merged: KnownLibraries = {
    authMiddleware: [], refusingAuthCalls: [], throwingVerifiers: [], unverifiedDecoders: [], verifyingRequestMethods: [], middlewareLimiters: [],
    callLimiters: [], clientAddress: [], validatorMiddleware: [], harmless: [], injectedClasses: [],
  };
  for (const declaration of declarations) {
    if (!declaration) continue;
    for (const kind of Object.keys(merged) as (keyof KnownLibraries)[]) {
      const entries = declaration[kind];
      if (entries) (merged[kind] as unknown[]) = [...merged[kind], ...entries];
    }
  }
  return merged;
}

/** Libraries that work with any framework. */
export const FRAMEWORK_INDEPENDENT_LIBRARIES: ProtectionLibraries = {
  authMiddleware: [
    { module: 'passport', signature: /^authenticate\.\(\)$/, name: 'passport.authenticate', anonymousStrategy: true },
  ],
  refusingAuthCalls: [
    { module: /^@clerk\//, signature: /protect\.\(\)$/, name: 'Clerk auth.protect()' },
    // Signatures of the callee: `auth.protect()` (Clerk v6), `auth().protect()` (v5).
    { module: /^@clerk\//, signature: /(^|\.)protect$/, name: 'Clerk auth.protect()' },
  ],
  throwingVerifiers: [
    { module: /^firebase-admin(\/auth)?$/, signature: /(^|\.)verify(IdToken|SessionCookie)$/, name: 'Firebase Admin verifyIdToken()' },
    { module: /^jose$/, signature: /^jwtVerify$/, name: 'jose jwtVerify()' },
    { module: /^jsonwebtoken$/, signature: /^(default\.)?verify$/, name: 'jsonwebtoken verify()' },
  ],
  unverifiedDecoders: [
    { module: /^jsonwebtoken$/, signature: /^(default\.)?decode\.\(\)/ },
    { module: /^jose$/, signature: /^decodeJwt\.\(\)/ },
    { module: /^jwt-decode$/, signature: /^(jwtDecode\.|default\.)?\(\)/ },
  ],
  callLimiters: [
    { module: '@upstash/ratelimit', signature: /(^|\.)new\.limit$/ },
    { module: 'rate-limiter-flexible', signature: /(^|\.)new\.(consume|penalty)$/ },
    { module: '@unkey/ratelimit', signature: /(^|\.)new\.limit$/ },
  ],
  clientAddress: [
    { module: '@vercel/functions', names: /^ipAddress$/ },
    { module: '@vercel/edge', names: /^ipAddress$/ },
    { module: 'request-ip', names: /^(getClientIp|default)?$/ },
  ],
  harmless: [
    { module: /^(zod|valibot|yup|joi)$/ },
    // Verifiers the analysis models (a refusal on their result, a throw it sees).
    { module: /^(jsonwebtoken|jose|firebase-admin(\/auth)?)$/ },
    // Passport's setup middleware; `passport.authenticate()` is in the authentication table.
    { module: /^passport$/, signature: /^(initialize|session)\.\(\)$/ },
    // Clerk's middleware attaches the session and refuses nobody unless the callback calls `auth.protect()`.
    { module: /^@clerk\//, signature: /^clerkMiddleware(\.\(\))?$/ },
  ],
};
