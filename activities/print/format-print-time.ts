/** Times on printed paper, in the warehouse's clock. */
import { isoToTaobaoTime } from '../../domain/taobao';

/** Printed in Asia/Shanghai to the minute ("2026-11-26 10:05"): staff compare it with the wall clock, not the server's UTC. */
export function formatPrintTime(at: Date): string {
  return isoToTaobaoTime(at).slice(0, 16);
}
