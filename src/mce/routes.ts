import { Type } from 'typebox';
import { principalOf, type HttpApp } from '../platform/http/app.js';
import { AppError } from '../platform/errors/app-error.js';
import { MAX_CODES } from './engine/claims-tsv.js';
import type { MceService } from './service.js';

const Code = Type.String({ maxLength: 40 });
const Int = Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 });

/** One claim as the API takes it; `sex` is CMS's integer (0 unknown, 1 male, 2 female) or M / F / U. */
export const MceClaimBody = Type.Object(
  {
    dischargeDate: Type.String({ maxLength: 40, description: 'yyyyMMdd, read exactly as CMS reads it' }),
    age: Int,
    sex: Type.Union([Int, Type.Union([Type.Literal('M'), Type.Literal('F'), Type.Literal('U')])]),
    dischargeStatus: Int,
    los: Int,
    pdx: Code,
    sdx: Type.Optional(Type.Array(Code, { maxItems: MAX_CODES })),
    procedures: Type.Optional(Type.Array(Code, { maxItems: MAX_CODES })),
    admitDx: Type.Optional(Code),
    version: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

const SEX: Record<string, number> = { M: 1, F: 2, U: 0 };

/** The MCE API: edit one claim (read on coding); list the loaded versions (any signed-in user). */
export function mceRoutes(app: HttpApp, mce: MceService): void {
  app.get('/api/mce/versions', async (req) => {
    principalOf(req);
    return { items: await mce.versions() };
  });
  app.post('/api/mce/edit', { schema: { body: MceClaimBody } }, async (req) => {
    const p = principalOf(req);
    const b = req.body;
    const sex = typeof b.sex === 'number' ? b.sex : SEX[b.sex];
    if (sex === undefined) throw new AppError('VALIDATION_FAILED', 'sex must be 0, 1, 2, M, F or U.');
    return mce.editClaim(p, {
      dischargeDate: b.dischargeDate, age: b.age, sex, dischargeStatus: b.dischargeStatus, los: b.los,
      diagnoses: [b.pdx, ...(b.sdx ?? [])], procedures: b.procedures ?? [], admitDiagnosis: b.admitDx,
    }, b.version);
  });
}
