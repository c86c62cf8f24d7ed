/**
 * A signed actor: the web app signs who decides (username, name, roles), for which action (the Update id) and when,
 * with a key shared by web and workers; workflows verify it, so a decision sent straight to Temporal (CLI, UI)
 * without the web app's signature is refused. Pure: used by the web's signer and by the sandbox's verifier alike.
 */
import { equalInConstantTime, fromHex, hmacSha256, toHex, utf8 } from './hmac-sha256';
import type { Actor, ActorSignature } from './roles';

export type { ActorSignature };

/** A key of the actor key ring; the first of a ring signs, all of them verify (rotation). */
export interface ActorKey {
  id: string;
  /** The key's bytes, hex. */
  hex: string;
}

/** How long a signature is good for: longer than any Update's wait in the web app, short enough that a copied one expires. */
export const ACTOR_SIGNATURE_MAX_AGE_MS = 10 * 60_000;
/** Web and Temporal clocks differ a little; a signature from further ahead than this is refused. */
export const ACTOR_SIGNATURE_MAX_SKEW_MS = 2 * 60_000;

/**
 * The action id a signal's actor is signed for: the signal's name. Not its workflow's id, because signal handlers run
 * again on replay and a replay (the recorded histories' included) need not know the id the signal was sent to; the
 * signals that act for a person only ask for an earlier retry, and the signature still expires with its age.
 */
export function signalActionId(signalName: string): string {
  return `signal:${signalName}`;
}

/** The signed text: every field in a fixed order, JSON-quoted so no field can borrow from its neighbour. */
export function actorSignatureMessage(actor: Actor, actionId: string, at: string): string {
  return JSON.stringify(['guanjia-actor-v1', actor.username, actor.displayName ?? '', [...(actor.roles ?? [])].sort(), actionId, at]);
}

function mac(key: ActorKey, actor: Actor, actionId: string, at: string): string {
  return toHex(hmacSha256(fromHex(key.hex), utf8(actorSignatureMessage(actor, actionId, at))));
}

/** The actor with a signature for one action, made with the ring's first key. */
export function signActor(actor: Actor, keys: readonly ActorKey[], actionId: string, at: Date): Actor {
  const key = keys[0];
  if (!key) throw new Error('no actor signing key');
  const { signature: _old, ...plain } = actor;
  const iso = at.toISOString();
  return { ...plain, signature: { kid: key.id, actionId, at: iso, mac: mac(key, plain, actionId, iso) } };
}

/**
 * Why this actor may not act for `actionId` at `now` (zh-CN, shown to whoever sent it), or null when its signature
 * is good: made with a key of the ring, for this very action, not older than ACTOR_SIGNATURE_MAX_AGE_MS.
 */
export function actorSignatureProblem(actor: Actor | undefined, keys: readonly ActorKey[], expected: { actionId: string; now: number; checkAge?: boolean }): string | null {
  const sig = actor?.signature;
  if (!actor?.username) return '缺少操作人';
  if (!sig || typeof sig !== 'object') return '操作人没有管家网页的签名：决定须通过管家网页或 /api/v1 提交，直接发给 Temporal 的决定不会执行';
  if (!keys.length) return '工作进程没有配置操作人签名密钥（GUANJIA_ACTOR_KEY），无法核对操作人，请联系管理员';
  const key = keys.find((k) => k.id === sig.kid);
  if (!key) return `操作人签名的密钥「${String(sig.kid)}」不在密钥环中，请刷新页面后重试；仍不行请联系管理员`;
  if (typeof sig.mac !== 'string' || typeof sig.at !== 'string' || typeof sig.actionId !== 'string') return '操作人签名格式不对，决定不会执行';
  const { signature: _sig, ...plain } = actor;
  if (!equalInConstantTime(mac(key, plain, sig.actionId, sig.at), sig.mac)) return '操作人签名无效（操作人、角色或时间被改动过），决定不会执行';
  if (sig.actionId !== expected.actionId) return '操作人签名不属于这次操作，决定不会执行';
  if (expected.checkAge !== false) {
    const at = Date.parse(sig.at);
    if (!Number.isFinite(at) || expected.now - at > ACTOR_SIGNATURE_MAX_AGE_MS) return '这次操作的签名已过期（超过 10 分钟），请刷新页面后重新提交';
    if (at - expected.now > ACTOR_SIGNATURE_MAX_SKEW_MS) return '操作人签名的时间在未来，请检查服务器时钟';
  }
  return null;
}
