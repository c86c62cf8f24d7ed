/**
 * The sandbox's Cainiao e-waybill desk: cainiao.waybill.ii.get hands out one number per request
 * (object_id) and package, the same number again when that request is repeated, and
 * cainiao.waybill.ii.cancel takes back a number that has not been used for a shipment.
 */
import { z } from 'zod';
import type { CainiaoWaybillCloudPrintResponse } from '../taobao/cainiao-waybill';
import { TOP_SUB_CODES } from '../taobao/top-sub-codes';
import type { SandboxWaybill } from './sandbox-state';
import type { SandboxStore } from './sandbox-store';
import { topFailure } from './top-failure';
import type { TopMethodHandler } from './top-gateway';
import { waybillCode } from './waybill-code';

const REQUEST_PARAM = 'param_waybill_cloud_print_apply_new_request';
const DEFAULT_TEMPLATE_URL = 'http://cloudprint.cainiao.com/template/standard/101/123';
const MAX_ORDERS_PER_CALL = 10;

const id = z.union([z.string().min(1), z.number()]).transform(String);
const contact = z
  .object({
    name: z.string().min(1),
    mobile: z.string().optional(),
    phone: z.string().optional(),
    address: z.object({
      province: z.string().min(1),
      city: z.string().min(1),
      district: z.string().optional(),
      town: z.string().optional(),
      detail: z.string().min(1),
    }),
  })
  .refine((c) => Boolean(c.mobile || c.phone), { message: 'mobile 与 phone 至少填一个' });
const applyRequest = z.object({
  cp_code: z.string().min(1),
  sender: contact,
  trade_order_info_dtos: z
    .array(
      z.object({
        object_id: id,
        order_info: z.object({ order_channels_type: z.string().optional(), trade_order_list: z.array(id).min(1) }),
        package_info: z
          .object({ id: id.optional(), items: z.array(z.object({ name: z.string(), count: z.number().int() })).optional() })
          .optional(),
        recipient: contact,
        template_url: z.string().optional(),
      }),
    )
    .min(1)
    .max(MAX_ORDERS_PER_CALL),
});

export function createWaybillMethods(store: SandboxStore): Record<string, TopMethodHandler> {
  return {
    'cainiao.waybill.ii.get': (p) => {
      const parsed = applyRequest.safeParse(p.json(REQUEST_PARAM));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw topFailure.invalid(REQUEST_PARAM, `${issue?.path.join('.') || REQUEST_PARAM}: ${issue?.message ?? '无效'}`);
      }
      const request = parsed.data;
      const cpCode = request.cp_code.toUpperCase();
      const responses: CainiaoWaybillCloudPrintResponse[] = request.trade_order_info_dtos.map((dto) => {
        const tradeOrderList = [...dto.order_info.trade_order_list].sort();
        const packageId = dto.package_info?.id ?? '';
        // Cainiao is idempotent per object_id: a retry after a lost answer gets the number already taken, not a
        // second one. Another object_id is another request (a new reservation) and gets a number of its own.
        let waybill = store.state.waybills.find(
          (w) =>
            !w.cancelled &&
            w.cpCode === cpCode &&
            w.objectId === dto.object_id &&
            w.packageId === packageId &&
            w.tradeOrderList.join(',') === tradeOrderList.join(','),
        );
        if (!waybill) {
          const code = uniqueCode(store, cpCode);
          waybill = {
            waybillCode: code,
            cpCode,
            objectId: dto.object_id,
            tradeOrderList,
            packageId,
            recipient: dto.recipient,
            printData: JSON.stringify({
              data: {
                waybillCode: code,
                cpCode,
                recipient: dto.recipient,
                sender: request.sender,
                routingInfo: routingInfo(dto.recipient.address),
                packageInfo: { id: packageId, items: dto.package_info?.items ?? [] },
                shippingOption: { code: 'STANDARD_EXPRESS', title: '标准快递' },
              },
              signature: 'SANDBOX-UNSIGNED',
              templateURL: dto.template_url ?? DEFAULT_TEMPLATE_URL,
            }),
            cancelled: false,
            createdAt: store.now().toISOString(),
          } satisfies SandboxWaybill;
          store.state.waybills.push(waybill);
          store.changed();
        }
        return { object_id: dto.object_id, waybill_code: waybill.waybillCode, print_data: waybill.printData };
      });
      return { modules: { waybill_cloud_print_response: responses } };
    },

    'cainiao.waybill.ii.cancel': (p) => {
      const cpCode = p.required('cp_code').toUpperCase();
      const code = p.required('waybill_code');
      const waybill = store.state.waybills.find((w) => w.cpCode === cpCode && w.waybillCode === code);
      if (!waybill) throw topFailure.remote(TOP_SUB_CODES.waybillNotExist, `面单 ${cpCode} ${code} 不存在`);
      if (waybill.cancelled) throw topFailure.remote(TOP_SUB_CODES.waybillAlreadyCancelled, `面单 ${code} 已取消`);
      if (store.state.shipments.some((s) => s.outSid === code)) {
        throw topFailure.remote(TOP_SUB_CODES.waybillAlreadyShipped, `面单 ${code} 已发货，不能取消`);
      }
      waybill.cancelled = true;
      waybill.cancelledAt = store.now().toISOString();
      store.changed();
      return { cancel_result: true };
    },
  };
}

function uniqueCode(store: SandboxStore, cpCode: string): string {
  for (;;) {
    const code = waybillCode(cpCode, store.rng);
    if (!store.state.waybills.some((w) => w.waybillCode === code)) return code;
  }
}

/** The sorting hub and route code (大头笔) printed on the label; the same destination always gets the same. */
function routingInfo(address: { province: string; city: string; district?: string }): Record<string, unknown> {
  const key = `${address.province}${address.city}${address.district ?? ''}`;
  let hash = 0;
  for (const ch of key) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_000;
  const city = address.city.replace(/(市|地区|盟)$/, '');
  return {
    routeCode: `${100 + (hash % 900)}-${String.fromCharCode(65 + (hash % 26))}${hash % 100} ${String(hash % 100).padStart(2, '0')}`,
    sortation: { name: `${city}${address.district ?? ''}` },
    consolidation: { name: `${address.province.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$/, '')}集包地` },
  };
}
