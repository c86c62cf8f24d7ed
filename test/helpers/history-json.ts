/**
 * Temporal histories to and from the JSON that `temporal workflow show --output json` writes: the recording
 * script writes test/histories/** with it and the replay test reads them back.
 */
import { createRequire } from 'node:module';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

type History = proto.temporal.api.history.v1.IHistory;
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): History | null;
}

// @temporalio/common's historyToJSON/historyFromJSON fail here with "type must be a Type": the install nests one
// protobufjs 8 under @temporalio/common and another under @temporalio/proto (the root holds protobufjs 7), and
// protojson checks `instanceof Type` against its own copy. The same conversion with the copy that built the
// proto types works, so that is the one loaded.
const protoRequire = createRequire(require.resolve('@temporalio/proto'));
const protojson = protoRequire('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): string {
  return `${JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2)}\n`;
}

/** A history read from a file; fields a newer server added are ignored, as the SDK's own reader does. */
export function historyFromJson(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!history?.events?.length) throw new TypeError('not a Temporal history: no events');
  return history;
}
