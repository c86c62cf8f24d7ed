/** The wire shapes of Cainiao's cloud-print waybill API (cainiao.waybill.ii.get / .cancel) over TOP. */

export interface CainiaoAddress {
  province: string;
  city: string;
  district?: string;
  town?: string;
  detail: string;
}

export interface CainiaoContact {
  name: string;
  mobile?: string;
  phone?: string;
  address: CainiaoAddress;
}

export interface CainiaoTradeOrderInfo {
  /** The caller's id for this entry; echoed back so answers can be matched to requests. */
  object_id: string;
  order_info: { order_channels_type: string; trade_order_list: string[] };
  /** Several parcels for one order need distinct package ids; the same id gets the same number again. */
  package_info?: { id?: string; items?: Array<{ name: string; count: number }>; weight?: number; volume?: number };
  recipient: CainiaoContact;
  template_url?: string;
  user_id?: number | string;
}

/** The JSON text of the param_waybill_cloud_print_apply_new_request parameter. */
export interface CainiaoWaybillApplyRequest {
  cp_code: string;
  sender: CainiaoContact;
  trade_order_info_dtos: CainiaoTradeOrderInfo[];
  store_code?: string;
  resource_code?: string;
  need_encrypt?: boolean;
}

export interface CainiaoWaybillCloudPrintResponse {
  object_id: string;
  waybill_code: string;
  /** JSON text the Cainiao print component renders; in the sandbox it is readable, not encrypted. */
  print_data: string;
  parent_waybill_code?: string;
}

export interface CainiaoWaybillGetResponse {
  modules: { waybill_cloud_print_response: CainiaoWaybillCloudPrintResponse[] };
}

export interface CainiaoWaybillCancelResponse {
  cancel_result: boolean;
}
