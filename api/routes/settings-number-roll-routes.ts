/**
 * 设置 → 号段: how many tracking numbers each roll courier has left, and an admin's imports of a range (with its count
 * shown before importing) or of a list file; duplicates and numbers already in the roll are reported, not added.
 */
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { Courier, NumberRollImport } from '../../db/entities';
import { importNumberList, importNumberRange, MAX_ROLL_IMPORT, previewRange } from '../../db/settings/import-number-roll';
import { numberRollRemaining } from '../../db/settings/number-roll-remaining';
import { can } from '../../domain/roles';
import { requireRole } from '../auth/require-role';
import type { AppEnv } from '../env';
import { renderFragment, renderPage, t } from '../render';
import { numberRollResultMessage } from '../settings/number-roll-result';
import { formText, type FormBody } from '../settings/warehouse-form';

type Ctx = Context<AppEnv>;
type Flash = { error?: string; notice?: string; samples?: string[] };

const MAX_LIST_BYTES = 1024 * 1024;

async function renderRolls(c: Ctx, flash: Flash = {}, form: Record<string, string> = {}, status: ContentfulStatusCode = 200) {
  const em = c.var.deps.db.em();
  const [couriers, remaining, imports] = await Promise.all([
    em.find(Courier, { provider: 'pool' }, { orderBy: { active: 'desc', isDefault: 'desc', code: 'asc' } }),
    numberRollRemaining(em),
    em.find(NumberRollImport, {}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 20 }),
  ]);
  const names = new Map(couriers.map((x) => [x.code, x.name]));
  const courier = form.courier ?? c.req.query('courier') ?? couriers.find((x) => x.active)?.code ?? '';
  return renderPage(c, 'settings/number-rolls', {
    title: t(c, 'places.numberRolls'),
    couriers,
    remaining,
    imports: imports.map((i) => ({ ...i, courierLabel: names.get(i.courierCode) ?? i.courierCode })),
    mayManage: can(c.var.user.roles, 'settings.manage'),
    maxImport: MAX_ROLL_IMPORT,
    form: { prefix: '', start: '', end: '', ...form, courier },
    ...flash,
  }, status);
}

export const settingsNumberRollRoutes = new Hono<AppEnv>()
  .get('/', requireRole('settings.view'), (c) => renderRolls(c))
  .get('/preview', requireRole('settings.view'), (c) => {
    const { prefix = '', start = '', end = '' } = c.req.query();
    if (!start.trim() || !end.trim()) return renderFragment(c, 'settings/_number-roll-preview', { empty: true });
    return renderFragment(c, 'settings/_number-roll-preview', { p: previewRange({ prefix, start, end }) });
  })
  .post('/range', requireRole('settings.manage'), async (c) => {
    const body = (await c.req.parseBody()) as FormBody;
    const form = { courier: formText(body, 'courier') ?? '', prefix: formText(body, 'prefix') ?? '', start: formText(body, 'start') ?? '', end: formText(body, 'end') ?? '' };
    if (!form.courier) return renderRolls(c, { error: t(c, 'places.chooseCourier') }, form, 400);
    const o = await c.var.deps.db.em().transactional((em) => importNumberRange(em, c.var.actor, form.courier, form));
    if (!o.ok) return renderRolls(c, { error: o.message }, form, o.status);
    return renderRolls(c, { notice: numberRollResultMessage(o.record) }, { courier: form.courier });
  })
  .post('/list', requireRole('settings.manage'), async (c) => {
    const body = (await c.req.parseBody()) as FormBody;
    const courier = formText(body, 'courier') ?? '';
    if (!courier) return renderRolls(c, { error: t(c, 'places.chooseCourier') }, {}, 400);
    const file = body.file;
    let text = formText(body, 'numbers') ?? '';
    let fileName = '';
    if (file instanceof File && file.size > 0) {
      if (file.size > MAX_LIST_BYTES) return renderRolls(c, { error: t(c, 'places.fileTooLarge') }, { courier }, 400);
      text = await file.text();
      fileName = file.name;
    }
    if (!text.trim()) return renderRolls(c, { error: t(c, 'places.noListGiven') }, { courier }, 400);
    const o = await c.var.deps.db.em().transactional((em) => importNumberList(em, c.var.actor, courier, fileName || t(c, 'places.pastedList'), text));
    if (!o.ok) return renderRolls(c, { error: o.message }, { courier }, o.status);
    return renderRolls(c, { notice: numberRollResultMessage(o.record) }, { courier });
  });
