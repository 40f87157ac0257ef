import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PipelineSettings } from '../pipeline/types.js';
import { removeStaleTempFiles, writeFileAtomic } from './atomic-write.js';
import { dropTornTail, ManifestWriter, readManifest } from './manifest-file.js';
import {
  isFailureLine,
  MANIFEST_FORMAT,
  MANIFEST_NAME,
  type ManifestHeader,
  serializeLine,
} from './manifest-lines.js';
import { ResumeIndex } from './resume-index.js';
import { acquireLockFile, acquireRunLock, type RunLock } from './run-lock.js';
import { describeDifferences, diffSettings, type SettingDifference } from './settings-diff.js';

/** The output folder was made with other settings (and `--force` was not given). */
export class SettingsMismatchError extends Error {
  override readonly name = 'SettingsMismatchError';
  readonly differences: readonly SettingDifference[];
  /** @param alternative what else the user can do @default 'use another output folder' */
  constructor(
    folder: string,
    differences: readonly SettingDifference[],
    alternative = 'use another output folder',
  ) {
    super(
      `${folder} was made with other settings (${describeDifferences(differences)}); ` +
        `rerun with the same options to resume, ${alternative}, or add --force to start over`,
    );
    this.differences = differences;
  }
}

export interface OpenOutputOptions {
  /** The settings of this run. */
  readonly settings: PipelineSettings;
  /** `augmix-pipeline <version>`. */
  readonly tool: string;
  /**
   * Start over when the folder was made with other settings: the manifest is replaced by a new one and every
   * input is processed again (files are overwritten; old files that the new settings do not name stay).
   * @default false
   */
  readonly force?: boolean;
}

/** An output folder ready for a run: locked, its manifest open for appending. */
export interface OutputFolder {
  readonly manifestPath: string;
  readonly writer: ManifestWriter;
  /** Work recorded by earlier runs (empty when new or started over). */
  readonly done: ResumeIndex;
  /** The folder already had a manifest with the same settings. */
  readonly resumed: boolean;
  /** `--force` replaced a manifest made with other settings (the differences it overrode). */
  readonly overridden: readonly SettingDifference[];
  /** A torn last manifest line was dropped. */
  readonly tornLineDropped: boolean;
  /** Inputs that failed in an earlier run; their lines were removed and they are tried again. */
  readonly retriedFailures: number;
  /** Temporary files of a killed run that were deleted. */
  readonly staleTempFiles: number;
  /** The header of the manifest (the recorded tool version may differ from this run's). */
  readonly header: ManifestHeader;
  /** Closes the manifest and releases the folder's lock. */
  close(): Promise<void>;
}

/**
 * Creates or reopens an output folder. New folder: a manifest with a header line. Existing manifest with the
 * same settings: resume — a torn last line is cut off, lines of failed inputs are removed (they are retried),
 * and the work it records is returned. Other settings: {@link SettingsMismatchError}, or with `force` a new
 * manifest. Throws `OutputBusyError` when another run holds the folder, and file-system errors as they come.
 */
export async function openOutputFolder(outputDir: string, options: OpenOutputOptions): Promise<OutputFolder> {
  await mkdir(outputDir, { recursive: true });
  const lock = await acquireRunLock(outputDir);
  try {
    return await prepare(path.join(outputDir, MANIFEST_NAME), outputDir, options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * {@link openOutputFolder} for outputs that are not a local folder (an S3 prefix): the manifest is the local
 * file `manifestPath` (its folder is created), locked by `<manifestPath>.lock`; the same resume rules apply.
 */
export async function openManifest(manifestPath: string, options: OpenOutputOptions): Promise<OutputFolder> {
  await mkdir(path.dirname(manifestPath), { recursive: true });
  const lock = await acquireLockFile(`${manifestPath}.lock`, manifestPath);
  try {
    return await prepare(manifestPath, null, options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Opens the manifest; `outputDir` (or `null` when outputs are not files) is where stale temporary files go. */
async function prepare(
  manifestPath: string,
  outputDir: string | null,
  options: OpenOutputOptions,
  lock: RunLock,
): Promise<OutputFolder> {
  const header: ManifestHeader = {
    manifest: MANIFEST_FORMAT,
    tool: options.tool,
    settings: options.settings,
  };
  const exists = await stat(manifestPath).then(
    () => true,
    () => false,
  );
  const contents = exists ? await readManifest(manifestPath) : null;
  let done = new ResumeIndex();
  let overridden: SettingDifference[] = [];
  let retriedFailures = 0;
  let kept = header;
  const resumed = contents?.header != null;

  if (contents === null || contents.header === null) {
    await writeFileAtomic(manifestPath, serializeLine(header));
  } else {
    const differences = diffSettings(
      contents.header.settings as unknown as Record<string, unknown>,
      options.settings,
    );
    if (differences.length > 0 && options.force !== true)
      throw outputDir === null
        ? new SettingsMismatchError(manifestPath, differences, 'use another --manifest')
        : new SettingsMismatchError(outputDir, differences);
    if (differences.length > 0) {
      overridden = differences;
      await writeFileAtomic(manifestPath, serializeLine(header));
    } else {
      kept = contents.header;
      const failures = contents.lines.filter(isFailureLine);
      retriedFailures = new Set(failures.map((line) => line.input)).size;
      if (failures.length > 0) {
        const rest = contents.lines.filter((line) => !isFailureLine(line));
        await writeFileAtomic(manifestPath, [contents.header, ...rest].map(serializeLine).join(''));
      } else {
        await dropTornTail(manifestPath, contents);
      }
      done = ResumeIndex.from(contents.lines);
    }
  }
  const staleTempFiles = resumed && outputDir !== null ? await removeStaleTempFiles(outputDir) : 0;
  const writer = await ManifestWriter.open(manifestPath);
  return {
    manifestPath,
    writer,
    done,
    resumed: resumed && overridden.length === 0,
    overridden,
    tornLineDropped: contents?.torn ?? false,
    retriedFailures,
    staleTempFiles,
    header: kept,
    close: async () => {
      try {
        await writer.close();
      } finally {
        lock.release();
      }
    },
  };
}
