import { type _Object, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { StateMachine } from 'aws-local-stepfunctions';

/**
 * Runs the synthesized backfill definition with aws-local-stepfunctions (an ASL interpreter in Node), as far as
 * the interpreter goes. It runs the Choice, Map (inline: ItemSelector, MaxConcurrency, the child processor),
 * Task (with overrides instead of Lambda), Retry and ResultPath semantics of the definition as written. It does
 * not run a Distributed Map's ItemReader, ItemBatcher, ResultWriter, ToleratedFailurePercentage, Label or
 * Standard child executions; this harness substitutes the first two and says so:
 *
 * - ItemReader: {@link listLikeItemReader} calls ListObjectsV2 on the execution's input prefix (the call the
 *   `s3:listObjectsV2` reader makes) and returns the objects as Step Functions hands them to ItemSelector
 *   (`Key`, `Size`, `Etag` with its quotes, `LastModified`, `StorageClass`).
 * - ItemSelector is the definition's own, run by the interpreter in an inline Map over those objects (so
 *   `$$.Map.Item.Index` and `$$.Map.Item.Value` are the interpreter's).
 * - ItemBatcher: the selected items are cut into batches of the definition's MaxItemsPerBatch, each also
 *   under MaxInputBytesPerBatch; the Map then iterates over the batches, and its ItemSelector is replaced by
 *   `{ BatchInput: <the definition's ItemBatcher.BatchInput>, Items: <the batch> }` — the child input a
 *   Distributed Map builds.
 */
// biome-ignore lint/suspicious/noExplicitAny: ASL documents are walked freely
type Asl = any;

/** `Promise.withResolvers` (Node 22+) for Node 20, which aws-local-stepfunctions 3 calls. */
export function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** What a ListObjectsV2 ItemReader hands each item to ItemSelector. */
export async function listLikeItemReader(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? ([] as _Object[])) {
      items.push({
        Etag: object.ETag,
        Key: object.Key,
        LastModified: object.LastModified?.toISOString(),
        Size: object.Size,
        StorageClass: object.StorageClass ?? 'STANDARD',
      });
    }
  }
  return items;
}

/** Runs the definition's ItemSelector over `items` in the interpreter (an inline Map with a Pass processor). */
export async function selectItems(
  mapState: Asl,
  items: readonly unknown[],
): Promise<Record<string, unknown>[]> {
  const selector = new StateMachine({
    StartAt: 'Select',
    States: {
      Select: {
        Type: 'Map',
        ItemSelector: mapState.ItemSelector,
        ItemProcessor: { StartAt: 'Keep', States: { Keep: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  });
  return (await selector.run(items as never).result) as unknown as Record<string, unknown>[];
}

/** Cuts items into batches of at most `maxItems` items and `maxBytes` bytes of JSON. */
export function batchItems<T>(items: readonly T[], maxItems: number, maxBytes: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 2;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 2;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The definition with the Map reading `$.localBatches` and building the Distributed Map's child input. */
export function localDefinition(definition: Asl, mapName: string): Asl {
  const copy = structuredClone(definition);
  const map = copy.States[mapName];
  const batchInput = map.ItemBatcher.BatchInput;
  for (const field of ['ItemReader', 'ItemBatcher', 'ResultWriter', 'Label', 'ToleratedFailurePercentage']) {
    delete map[field];
  }
  map.ItemsPath = '$.localBatches';
  map.ItemSelector = { BatchInput: batchInput, 'Items.$': '$$.Map.Item.Value' };
  return copy;
}
