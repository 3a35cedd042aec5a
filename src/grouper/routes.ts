import { Type } from 'typebox';
import { principalOf, type HttpApp } from '../platform/http/app.js';
import type { GrouperService } from './service.js';

/** Limits of one claim: CMS's grouper takes 24 SDX and 25 procedures; more are accepted and grouped alike. */
export const MAX_CODES = 10_000;
const Code = Type.String({ maxLength: 40 });

/** One claim as the API takes it. `version` wins over `dischargeDate`; codes with or without dots, any case. */
export const GroupClaimBody = Type.Object(
  {
    version: Type.Optional(Type.String({ maxLength: 20 })),
    dischargeDate: Type.Optional(Type.String({ maxLength: 20, description: 'YYYY-MM-DD or YYYYMMDD' })),
    age: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
    sex: Type.Union([Type.Literal('M'), Type.Literal('F'), Type.Literal('U')]),
    dischargeStatus: Type.String({ maxLength: 4 }),
    pdx: Code,
    sdx: Type.Optional(Type.Array(Type.Object({ code: Code, poa: Type.Optional(Type.String({ maxLength: 2 })) }, { additionalProperties: false }), { maxItems: MAX_CODES })),
    procedures: Type.Optional(Type.Array(Code, { maxItems: MAX_CODES })),
    hospital: Type.Optional(Type.Union([Type.Literal('non-exempt'), Type.Literal('exempt'), Type.Literal('unknown')])),
    /** Codes are taken with their dots removed unless this is false (CMS's exact behaviour: a dotted code is invalid). */
    stripDots: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** The grouper API: group one claim (read on coding); list the loaded versions (any signed-in user). */
export function grouperRoutes(app: HttpApp, grouper: GrouperService): void {
  app.get('/api/grouper/versions', async (req) => {
    principalOf(req);
    return { items: await grouper.versions() };
  });
  app.post('/api/grouper/group', { schema: { body: GroupClaimBody } }, async (req) => {
    const p = principalOf(req);
    const b = req.body;
    return grouper.groupClaim(p, {
      version: b.version ?? null,
      dischargeDate: b.dischargeDate ?? null,
      claim: {
        pdx: b.pdx, sdx: (b.sdx ?? []).map((s) => ({ code: s.code, poa: s.poa ?? '' })), procedures: b.procedures ?? [], sex: b.sex,
        dischargeStatus: b.dischargeStatus, age: b.age ?? null,
      },
      options: { hospital: b.hospital ?? 'non-exempt', stripDots: b.stripDots ?? true, trace: true },
    });
  });
}
