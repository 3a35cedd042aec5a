import cookie from '@fastify/cookie';
import fstatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../audit/event.js';
import type { Config } from '../config.js';
import { AppError, toProblem } from '../errors/app-error.js';
import type { AuthService, Principal } from '../security/auth-service.js';
import { parseJsonBody } from './json-body.js';
import { mapError } from './map-error.js';

export const SESSION_COOKIE = 'chartroom_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** No session needed (login, health). */
    public?: boolean;
    /** Callable before password change and MFA enrolment are done. */
    anyStage?: boolean;
  }
}

export type HttpApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface HttpDeps {
  config: Config;
  auth: AuthService;
  /** Folder of the built web app (dist/web); missing in API-only builds. */
  webRoot: string | null;
  logger?: boolean;
}

export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
}
const routeTables = new WeakMap<object, RouteEntry[]>();

/** Every route registered on the app (the bad-input suite walks them all). */
export function routeTable(app: object): RouteEntry[] {
  return routeTables.get(app) ?? [];
}

/** API routes need a session unless marked public; static files of the web app do not. */
function needsSession(url: string, config: { public?: boolean } | undefined): boolean {
  return /^\/(api|fhir)\//.test(url) && config?.public !== true;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The channel of an HTTP request: the web app says so in a header; everything else is the API. */
function channelOf(req: FastifyRequest): 'web' | 'api' {
  return req.headers['x-chartroom-client'] === 'web' ? 'web' : 'api';
}

/**
 * Builds the Fastify instance with the platform's edges: problem+json errors, strict JSON, sessions,
 * CSRF, security headers, the web app and a JSON 404. Capabilities add their routes to it.
 */
export function createHttpApp(deps: HttpDeps): HttpApp {
  const { config, auth } = deps;
  const app = Fastify({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // Request logging is ours (route templates only): URLs can carry patient names in query strings.
    logController: new LogController({ disableRequestLogging: true }),
    logger: deps.logger === false || config.logLevel === 'silent' ? false : { level: config.logLevel },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: true, useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const routes: RouteEntry[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: r.url, public: !needsSession(r.url, r.config) });
    }
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('actor', null as unknown as Actor);
  void app.register(cookie);

  app.removeAllContentTypeParsers();
  // FHIR clients send application/fhir+json; it is parsed with the same limits.
  app.addContentTypeParser(['application/json', 'application/fhir+json'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    req.actor = { userId: null, username: null, sourceIp: req.ip, channel: channelOf(req) };
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    const cfg = req.routeOptions.config;
    if (!req.routeOptions.url || !needsSession(req.routeOptions.url, cfg)) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) throw new AppError('NOT_AUTHENTICATED', 'Please sign in.');
    const touch = !(req.method === 'GET' && (req.query as Record<string, unknown> | undefined)?.touch === '0');
    const principal = await auth.authenticate(token, touch);
    req.principal = principal;
    req.actor = { ...req.actor, userId: principal.userId, username: principal.username, breakGlassPatients: new Set() };
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== principal.csrfToken) {
        throw new AppError('CSRF_TOKEN_INVALID', 'Send the x-csrf-token header of your session.');
      }
    }
    if (principal.stage !== 'full' && !cfg.anyStage) {
      throw new AppError(
        'SESSION_STAGE_INCOMPLETE',
        principal.stage === 'change_password' ? 'Change your password first.' : 'Enrol multi-factor authentication first.',
      );
    }
  });

  // While shutting down, answers close their connection, so keep-alive clients do not hold the close.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 500) {
      req.log.error({ route: req.routeOptions.url ?? 'unmatched', method: req.method, status: reply.statusCode }, 'request failed');
    }
  });

  app.setErrorHandler((error, req, reply) => {
    const appError = mapError(error, req.log);
    void reply.code(appError.status).type('application/problem+json').send(toProblem(appError));
  });

  const webRoot = deps.webRoot && fs.existsSync(path.join(deps.webRoot, 'index.html')) ? deps.webRoot : null;
  if (webRoot) {
    void app.register(fstatic, { root: webRoot, prefix: '/', wildcard: false, index: false, serveDotFiles: false });
  }
  app.setNotFoundHandler((req, reply) => notFound(req, reply, webRoot));
  return app;
}

const SPA_PATH = /^\/[A-Za-z0-9/_-]*$/;

function notFound(req: FastifyRequest, reply: FastifyReply, webRoot: string | null) {
  const pathOnly = req.url.split('?')[0] ?? '/';
  if (webRoot && req.method === 'GET' && !pathOnly.startsWith('/api') && SPA_PATH.test(pathOnly)) {
    return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
  }
  const problem = toProblem(new AppError('ROUTE_NOT_FOUND', `No route ${req.method} ${pathOnly.slice(0, 200)}.`));
  return reply.code(404).type('application/problem+json').send(problem);
}

export function setSessionCookie(reply: FastifyReply, req: FastifyRequest, token: string, maxAgeSeconds: number): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.protocol === 'https',
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, req: FastifyRequest): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', path: '/' });
}

/** The signed-in principal of a route that is not public (the onRequest hook guarantees it). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError('NOT_AUTHENTICATED');
  return req.principal;
}
