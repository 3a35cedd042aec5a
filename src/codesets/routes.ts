import { Type } from 'typebox';
import type { HttpApp } from '../platform/http/app.js';
import type { CodesetService } from './service.js';

const System = Type.Optional(Type.String({ maxLength: 20 }));
const DateParam = Type.Optional(Type.String({ maxLength: 20 }));

/** The code-set API: any signed-in user may read reference data. */
export function codesetRoutes(app: HttpApp, codes: CodesetService): void {
  app.get('/api/codes/releases', async () => ({ items: await codes.releases() }));
  app.get(
    '/api/codes/search',
    {
      schema: {
        querystring: Type.Object(
          { q: Type.String({ maxLength: 1000 }), system: System, date: DateParam, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), excludes: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => codes.search(req.query.q, req.query.system, req.query.date, req.query.limit, { excludes: req.query.excludes === true }),
  );
  app.get(
    '/api/codes/validate',
    { schema: { querystring: Type.Object({ code: Type.String({ maxLength: 40 }), system: Type.String({ maxLength: 20 }), date: DateParam }, { additionalProperties: false }) } },
    async (req) => codes.validate(req.query.code, req.query.system, req.query.date),
  );
  app.get(
    '/api/codes/diff',
    { schema: { querystring: Type.Object({ system: Type.String({ maxLength: 20 }), from: Type.String({ maxLength: 20 }), to: Type.String({ maxLength: 20 }) }, { additionalProperties: false }) } },
    async (req) => codes.diff(req.query.system, req.query.from, req.query.to),
  );
  app.get(
    '/api/codes/tree',
    { schema: { querystring: Type.Object({ system: Type.String({ maxLength: 20 }), parent: Type.Optional(Type.String({ maxLength: 10 })), date: DateParam }, { additionalProperties: false }) } },
    async (req) => codes.tree(req.query.system, req.query.parent, req.query.date),
  );
  app.get(
    '/api/codes/pcs/builder',
    { schema: { querystring: Type.Object({ prefix: Type.Optional(Type.String({ maxLength: 7 })), date: DateParam }, { additionalProperties: false }) } },
    async (req) => codes.pcsNext(req.query.prefix ?? '', req.query.date),
  );
  app.get(
    '/api/codes/:system/:code',
    { schema: { params: Type.Object({ system: Type.String({ maxLength: 20 }), code: Type.String({ maxLength: 40 }) }), querystring: Type.Object({ date: DateParam }, { additionalProperties: false }) } },
    async (req) => codes.detail(req.params.code, req.params.system, req.query.date),
  );
}
