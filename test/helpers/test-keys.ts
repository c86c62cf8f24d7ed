/**
 * Fixed keys for the test stack and the recorded histories: the codec key encrypts only test data, so a history
 * recorded with it (test/histories/2026-11-27-encrypted) replays in every run. They protect nothing real.
 */
export const TEST_CODEC_KEYS = 'test-codec-1:2n9T9VD1ImfQqJNIU6bE6Q/Gw0dj2TYO6An4v2QHdRA=';
export const TEST_ACTOR_KEYS = 'test-actor-1:qI6i1x2rDeU8QVx5/zNHMDKiGlR/RG9EqCjeE5fE0VM=';

/** Puts the test keys in this process's environment unless a run chose its own. */
export function useTestKeys(env: NodeJS.ProcessEnv = process.env): void {
  env.GUANJIA_CODEC_KEYS ??= TEST_CODEC_KEYS;
  env.GUANJIA_ACTOR_KEY ??= TEST_ACTOR_KEYS;
}
