/**
 * One pipeline, two models: the calibration study as `deno task lenet` and `deno task densenet` run it.
 *
 * 1. `configureRun`: flags (or a checkpoint's configuration with `--resume`), threads, device;
 * 2. `loadData`: CIFAR-10 birds and cats, a seeded validation part, training statistics (see `data.ts`);
 * 3. `buildModel`: `manualSeed(seed)`, then the task builds its model; optionally the frozen part's
 *    outputs are cached;
 * 4. `trainModel`: training with Adam and BCE-with-logits (see `train.ts`), checkpoints, Ctrl-C;
 * 5. `evaluateModel`: logits of the validation part and the test split, the temperature fit and the sweep
 *    (see `evaluate.ts`);
 * 6. `writeRunFolder`: model weights (`model.pt`, a state dict `torch.load` reads), `checkpoint.pt`,
 *    `report.json`, `report.md`, figures, `log.txt` (see `report.ts`).
 *
 * The task definitions are in `tasks/` (`tasks/lenet.ts`, `tasks/densenet.ts`).
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { buildInfo, kernelInfo } from "../ffi/native.ts";
import { DataLoader, ImageDataset, type Transform } from "../datasets/mod.ts";
import { releaseNormalizeStats } from "../datasets/transforms/functional.ts";
import { Adam } from "../optim/mod.ts";
import { save } from "../serialize/mod.ts";
import type { Device } from "../tensor/device.ts";
import { dispose } from "../tensor/memory.ts";
import { manualSeed } from "../tensor/random.ts";
import { cuda, getNumThreads, releaseMemory, residentMemory, setNumThreads } from "../tensor/runtime.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { VERSION } from "../version.ts";
import {
  checkCheckpointConfig,
  type Checkpoint,
  CheckpointError,
  checkResumePosition,
  loadCheckpoint,
  saveCheckpoint,
} from "./checkpoint.ts";
import { LOCKED_FLAGS, sharedFlags, type StudyConfig, toConfig } from "./config.ts";
import { disposeStudyData, loadStudyData, type StudyData } from "./data.ts";
import { type CalibrationStudy, calibrationStudy, lossAndAccuracy, predictLogits } from "./evaluate.ts";
import { FlagError, type FlagSpecs, helpText, parseFlags } from "./flags.ts";
import { RunLog } from "./log.ts";
import { loadCheckpointState, type StudyModel } from "./model.ts";
import { calibrationFigures, type Report, trainingFigures, writeReport } from "./report.ts";
import { FigureWriter } from "./figures.ts";
import { trainLoop } from "./train.ts";
import {
  type DataParallel,
  dataParallelRequested,
  shardIndices,
  startDataParallel,
  stopDataParallel,
} from "./data_parallel.ts";
import { loadFeatureCache, saveFeatureCache } from "./feature_cache.ts";
import { pathExists } from "../util/fs.ts";

/** What a task builds for the pipeline. */
export interface BuiltModel {
  /** The model. */
  model: StudyModel;
  /** Applied to training batches (uint8 images to normalised floats; augmentation). */
  trainTransform: Transform;
  /** Applied to evaluation batches. */
  evalTransform: Transform;
  /** Whether the frozen part's outputs may be cached (no augmentation, frozen backbone). */
  cacheFeatures: boolean;
  /** Lines for the report's data description (image size, normalisation). */
  preprocessing: string;
}

/** A study task: its name, flags and model. */
export interface StudyTask {
  /** `lenet`, `densenet`. */
  name: string;
  /** The report's title. */
  title: string;
  /** `deno task <name> [flags]`, and what it does. */
  usage: string;
  /** Extra `--help` text (defaults, speed). */
  notes: string;
  /** The study's published figures, for the report. */
  reference: string;
  /** Defaults of the shared flags. */
  defaults: { epochs: number; batchSize: number; lr: number };
  /** The task's own flags. */
  flags: FlagSpecs;
  /** Task flags a resumed run must share with its checkpoint. */
  lockedFlags?: readonly string[];
  /** Builds the model on `device` (after `manualSeed(config.seed)`), given the data's statistics. */
  build(config: StudyConfig, data: StudyData, device: Device, log: RunLog): Promise<BuiltModel> | BuiltModel;
}

/** Options of {@linkcode runStudy} for tests and embedding. */
export interface RunOptions {
  /** Do not print (the log file still gets everything). */
  quiet?: boolean;
  /** Show progress bars (default: when not quiet). */
  progress?: boolean;
  /** Stop after this many training steps, before evaluating (parity checks). */
  maxSteps?: number;
  /** Behave as if Ctrl-C came after this many training steps (tests of checkpoint and resume). */
  interruptAfterSteps?: number;
}

/** How a run ended. */
export interface RunOutcome {
  /** "finished", "interrupted" (a checkpoint was saved), "stopped" (maxSteps), or "help". */
  status: "finished" | "interrupted" | "stopped" | "help";
  /** The run folder. */
  outDir: string | null;
  /** Every training step's loss. */
  stepLosses: number[];
  /** The report, when the run finished. */
  report?: Report;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
}

function resolveDevice(choice: StudyConfig["device"]): Device {
  if (choice === "cpu") return "cpu";
  const available = cuda.isAvailable();
  if (choice === "cuda" && !available) {
    throw new FlagError(
      `--device cuda: CUDA is not available here (LibTorch ${buildInfo().torch} ${
        buildInfo().cudaBuild ? "has CUDA but finds no GPU" : "was built without CUDA"
      }); use --device cpu or auto`,
    );
  }
  return available ? "cuda" : "cpu";
}

/** The configuration: flags, or with `--resume` the checkpoint's, overridden by flags that may change. */
function configure(
  task: StudyTask,
  args: readonly string[],
): { config: StudyConfig; resume: Checkpoint | null } | null {
  const shared = sharedFlags(task.defaults, task.name);
  const specs = { ...shared, ...task.flags };
  const parsed = parseFlags(args, specs);
  if (parsed === null) return null;
  let values = parsed.values;
  let resume: Checkpoint | null = null;
  if (values.resume) {
    const path = values.resume as string;
    try {
      Deno.statSync(path);
    } catch {
      throw new FlagError(`--resume ${path}: no such file (give the checkpoint.pt of an earlier run)`);
    }
    resume = loadCheckpoint(path);
    if (resume.task !== task.name) {
      throw new FlagError(`--resume ${path}: this checkpoint was made by deno task ${resume.task}, not ${task.name}`);
    }
    const saved = resume.config as Record<string, unknown>;
    checkCheckpointConfig(path, saved, specs); // its recorded flags pass the command line's checks
    for (const name of [...LOCKED_FLAGS, ...(task.lockedFlags ?? [])]) {
      if (parsed.given.has(name) && saved[name] !== values[name]) {
        throw new FlagError(
          `--${name} ${values[name]} differs from the checkpoint's ${saved[name]}: a resumed run keeps it ` +
            `(leave the flag out)`,
        );
      }
    }
    const merged: Record<string, unknown> = { ...values };
    // the run folder is never taken from inside the checkpoint: --out, else the checkpoint's own folder
    for (const [k, v] of Object.entries(saved)) {
      if (!parsed.given.has(k) && k in specs && k !== "out" && k !== "resume") merged[k] = v;
    }
    merged.resume = path;
    values = merged as typeof values;
  }
  return { config: toConfig(values, shared), resume };
}

function describeData(data: StudyData, preprocessing: string): string {
  return `CIFAR-10 birds (label 0) and cats (label 1) from ${data.dir}: ${data.train.length} training, ` +
    `${data.val.length} validation (seeded, for the temperature), ${data.test.length} test images; ` +
    preprocessing;
}

/** The frozen part's outputs for a whole dataset, as a dataset of `[N, C, 1, 1]` features. */
function extractFeatures(
  built: BuiltModel,
  ds: ImageDataset,
  batchSize: number,
  label: string,
  progress: boolean,
): ImageDataset {
  const frozen = built.model.cacheable!;
  using features = predictLogits((x) => frozen.frozen(x), ds, {
    transform: built.evalTransform,
    batchSize,
    label,
    progress,
    keepShape: true,
  });
  return new ImageDataset(features.to({ device: ds.device }), ds.labels.clone(), ds.classes);
}

/** The output files of a run, relative to its folder (figures without their extension). */
const RUN_FILES = {
  reportJson: "report.json",
  reportMd: "report.md",
  model: "model.pt",
  checkpoint: "checkpoint.pt",
  log: "log.txt",
  reliabilityBefore: "reliability_uncalibrated",
  reliabilityAfter: "reliability_calibrated",
  reliabilityOverlay: "reliability_overlay",
  reliabilityGrid: "reliability_grid",
  trainingCurves: "training_curves",
};

/** What every stage of a run shares: the task, its configuration, the run folder, the log and the timings. */
interface RunContext {
  task: StudyTask;
  config: StudyConfig;
  resume: Checkpoint | null;
  options: RunOptions;
  /** The run folder (absolute). */
  outDir: string;
  /** The folders this run made (the run folder, and `runs/` when it was new too), innermost first. */
  created: string[];
  log: RunLog;
  progress: boolean;
  device: Device;
  /** A data-parallel run (under `deno task launch`, see `data_parallel.ts`). */
  parallelRun: boolean;
  /** A rank > 0 of a data-parallel run: it trains only, into a temporary folder. */
  helperRank: boolean;
  files: typeof RUN_FILES;
  /** Seconds per phase, for the report. */
  timings: Record<string, number>;
  /** When the run started (`performance.now()`). */
  t0: number;
  /** Resident MiB once the data is loaded (and what decoding freed handed back), for the report. */
  rssAfterLoadMiB: number | null;
}

/** The model as the task built it, and the datasets and forward pass training and evaluation use. */
interface PreparedModel {
  built: BuiltModel;
  model: StudyModel;
  /** The parameters the optimizer updates. */
  trainable: Tensor[];
  /** The model's description and parameter counts, for the report. */
  info: { description: string; parameters: number; trainableParameters: number };
  /** The frozen part's outputs are the inputs (feature cache). */
  cached: boolean;
  trainSet: ImageDataset;
  valSet: ImageDataset;
  testSet: ImageDataset;
  /** Transformed inputs to logits: the model's forward, or its head on cached features. */
  forward: (x: Tensor) => Tensor;
  trainTransform: Transform;
  evalTransform: Transform;
}

/** The trained model and how training ended. */
interface TrainedModel {
  result: Awaited<ReturnType<typeof trainLoop>>;
  optimizer: Adam;
  /** The model with the forward pass that training and evaluation use. */
  studyModel: StudyModel;
  /** The configuration as the flags name it, for the checkpoint and the report. */
  configRecord: Record<string, unknown>;
  checkpointPath: string;
  /** The logits of the last epoch's validation (the final model's), taken over by the evaluation. */
  valLogits: Tensor | null;
}

function mark(run: RunContext, name: string, since: number): void {
  run.timings[name] = (performance.now() - since) / 1000;
}

/**
 * Runs a study task on command-line `args` (see the module notes); returns how it ended. Reads as the six
 * stages: {@linkcode configureRun}, {@linkcode loadData}, {@linkcode buildModel}, {@linkcode trainModel},
 * {@linkcode evaluateModel}, {@linkcode writeRunFolder}.
 *
 * @example
 * ```ts
 * import { runStudy } from "./pipeline.ts";
 * import { lenetTask } from "./tasks/lenet.ts";
 * await runStudy(lenetTask, ["--epochs", "1", "--limit", "300", "--out", "runs/quick"]);
 * ```
 */
export async function runStudy(
  task: StudyTask,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunOutcome> {
  const run = configureRun(task, args, options);
  if (run === null) return { status: "help", outDir: null, stepLosses: [] };
  try {
    const data = await loadData(run);
    const prepared = await buildModel(run, data);
    const trained = await trainModel(run, prepared);
    if (trained.result.status !== "finished" || run.helperRank) {
      return await endEarly(run, data, prepared, trained);
    }
    using figures = new FigureWriter({ png: run.config.png }); // renders in a worker during stages 5 and 6
    const calibration = evaluateModel(run, prepared, trained, figures);
    return await writeRunFolder(run, data, prepared, trained, calibration, figures);
  } catch (e) {
    // a run that failed before writing anything leaves no empty run folder behind
    for (const d of run.created) if (!removeIfEmpty(d)) break;
    throw e;
  }
}

/**
 * Stage 1: the configuration (flags, or with `--resume` the checkpoint's), the run folder (made here),
 * threads and device, and the run's first log lines. Returns null after printing `--help`.
 */
function configureRun(task: StudyTask, args: readonly string[], options: RunOptions): RunContext | null {
  const t0 = performance.now();
  const configured = configure(task, args);
  if (configured === null) {
    console.log(helpText(task.usage, { ...sharedFlags(task.defaults, task.name), ...task.flags }, task.notes));
    return null;
  }
  const { config, resume } = configured;
  const parallelRun = dataParallelRequested(); // under `deno task launch` (data_parallel.ts)
  const helperRank = parallelRun && Deno.env.get("RANK") !== "0"; // ranks > 0 train only, into a temporary folder
  if (parallelRun && resume) throw new FlagError("--resume is not supported in a data-parallel run (--nproc)");
  if (helperRank) {
    const tmp = Deno.makeTempDirSync({ prefix: `${task.name}-rank${Deno.env.get("RANK")}-` });
    globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }), { once: true });
    config.out = tmp;
  }
  const log = new RunLog((options.quiet ?? false) || helperRank);
  const outDir = resolve(
    config.out ?? (config.resume ? dirname(resolve(config.resume)) : join("runs", `${task.name}-${timestamp()}`)),
  );
  const created: string[] = [];
  for (let d = outDir; !pathExists(d) && dirname(d) !== d; d = dirname(d)) created.push(d);
  Deno.mkdirSync(outDir, { recursive: true });
  const run: RunContext = {
    task,
    config,
    resume,
    options,
    outDir,
    created,
    log,
    progress: options.progress ?? !options.quiet,
    device: "cpu",
    parallelRun,
    helperRank,
    files: { ...RUN_FILES },
    timings: {},
    t0,
    rssAfterLoadMiB: null,
  };
  try {
    setNumThreads(config.threads);
    run.device = resolveDevice(config.device);
  } catch (e) {
    for (const d of created) if (!removeIfEmpty(d)) break;
    throw e;
  }
  log.info(`${task.title}: run folder ${outDir}`);
  const recordedOut = resume?.config.out;
  if (resume && typeof recordedOut === "string" && resolve(recordedOut) !== outDir) {
    log.info(
      `the checkpoint's run wrote to ${resolve(recordedOut)}; this resumed run writes to ${outDir} ` +
        `(${config.out ? "--out" : "the checkpoint's folder"}), and leaves that folder as it is`,
    );
  }
  log.info(
    `denotorch ${VERSION}, LibTorch ${buildInfo().torch}, device ${run.device}, ${getNumThreads()} thread(s), ` +
      `seed ${config.seed}` +
      (resume ? `, resuming ${config.resume} at epoch ${resume.epoch + 1} batch ${resume.batch}` : ""),
  );
  return run;
}

/** Stage 2: CIFAR-10 birds and cats with the seeded validation part and the training statistics, on the device. */
async function loadData(run: RunContext): Promise<StudyData> {
  const { config, device, log } = run;
  const t = performance.now();
  const data = await loadStudyData({
    data: config.data,
    download: config.download,
    valFraction: config.valFraction,
    seed: config.seed,
    limit: config.limit,
    log: (l) => log.info(l),
  });
  const onDevice = (ds: ImageDataset) => {
    if (device === "cpu") return ds;
    const moved = ds.to(device);
    ds.dispose();
    return moved;
  };
  data.train = onDevice(data.train);
  data.val = onDevice(data.val);
  data.test = onDevice(data.test);
  releaseMemory(); // glibc keeps what decoding freed: hand it back before training
  run.rssAfterLoadMiB = residentMemory()?.currentMiB ?? null;
  mark(run, "data", t);
  log.info(
    `data: ${data.train.length} train, ${data.val.length} validation, ${data.test.length} test from ${data.dir}`,
  );
  return data;
}

/**
 * Stage 3: `manualSeed(seed)`, then the task builds its model; when the backbone is frozen and nothing is
 * random, the frozen part's outputs are computed once (or loaded from the cache) and become the inputs.
 */
async function buildModel(run: RunContext, data: StudyData): Promise<PreparedModel> {
  const { config, device, log, progress } = run;
  manualSeed(config.seed);
  const built = await run.task.build(config, data, device, log);
  const model = built.model;
  const trainable = model.trainable();
  const countOf = (ts: Tensor[]) => ts.reduce((s, p) => s + p.numel(), 0);
  const info = {
    description: model.description,
    parameters: countOf(model.module.parameters()),
    trainableParameters: countOf(trainable),
  };
  log.info(`model: ${model.description}, ${info.trainableParameters} trainable parameters`);
  const prepared: PreparedModel = {
    built,
    model,
    trainable,
    info,
    cached: built.cacheFeatures && model.cacheable !== undefined,
    trainSet: data.train,
    valSet: data.val,
    testSet: data.test,
    forward: (x: Tensor) => model.forward(x),
    trainTransform: built.trainTransform,
    evalTransform: built.evalTransform,
  };
  if (prepared.cached) {
    const t = performance.now();
    const c = model.cacheable!;
    const key = `${c.key}|limit=${config.limit}|val=${config.valFraction}|seed=${config.seed}`;
    const fromDisk = loadFeatureCache(key, device);
    if (fromDisk) {
      [prepared.trainSet, prepared.valSet, prepared.testSet] = fromDisk;
      log.info(`features: loaded from the cache (${key.slice(0, 60)}...)`);
    } else {
      model.setTraining(false);
      prepared.trainSet = extractFeatures(built, data.train, config.batchSize, "features train", progress);
      prepared.valSet = extractFeatures(built, data.val, config.batchSize, "features val", progress);
      prepared.testSet = extractFeatures(built, data.test, config.batchSize, "features test", progress);
      await saveFeatureCache(key, [prepared.trainSet, prepared.valSet, prepared.testSet]);
      log.info(`features: computed in ${((performance.now() - t) / 1000).toFixed(1)} s and cached`);
    }
    releaseMemory(); // the backbone's activations are gone: hand back what glibc keeps of them
    prepared.forward = (x: Tensor) => c.head(x);
    prepared.trainTransform = prepared.evalTransform = (x: Tensor) => x; // the features are the inputs
    mark(run, "features", t);
  }
  return prepared;
}

/**
 * Stage 4: training with Adam and BCE-with-logits (see `train.ts`), optionally data-parallel, from a
 * checkpoint with `--resume`; a checkpoint at the end of each epoch and on Ctrl-C.
 */
async function trainModel(run: RunContext, prepared: PreparedModel): Promise<TrainedModel> {
  const { config, resume, device, log, options } = run;
  const { model, forward, valSet, evalTransform } = prepared;
  const optimizer = new Adam(prepared.trainable, { lr: config.lr });
  const parallel: DataParallel | null = run.parallelRun
    ? await startDataParallel(model.module, config.batchSize)
    : null;
  const fullTrainSet = prepared.trainSet;
  let trainSet = fullTrainSet;
  if (parallel) {
    trainSet = fullTrainSet.subset(shardIndices(fullTrainSet.length, parallel));
    log.info(`data-parallel: rank ${parallel.rank} of ${parallel.worldSize}, ${trainSet.length} training items`);
  }
  const loader = new DataLoader(trainSet, {
    batchSize: parallel ? config.batchSize / parallel.worldSize : config.batchSize,
    shuffle: true,
    seed: config.seed + (parallel?.rank ?? 0),
    transform: prepared.trainTransform,
    labelDType: "float32",
  });
  if (resume) {
    checkResumePosition(config.resume!, resume, config.epochs, loader.length);
    try {
      loadCheckpointState(model, resume.model, resume.frozen);
    } catch (e) {
      throw new CheckpointError(config.resume!, (e as Error).message);
    }
    optimizer.loadStateDict(resume.optimizer);
  }
  const studyModel: StudyModel = { ...model, forward };
  let valLogits: Tensor | null = null; // the latest validation's, kept for the final evaluation
  const validate = () => {
    studyModel.setTraining(false);
    valLogits?.dispose();
    valLogits = predictLogits(forward, valSet, { transform: evalTransform, batchSize: config.batchSize });
    return lossAndAccuracy(valLogits, valSet.labels);
  };
  const configRecord = { ...flagRecord(config) };
  const checkpointPath = join(run.outDir, run.files.checkpoint);

  const t = performance.now();
  const result = await trainLoop({
    model: studyModel,
    optimizer,
    loader,
    epochs: config.epochs,
    device,
    validate,
    log: (l) => log.info(l),
    progress: run.progress,
    maxSteps: options.maxSteps,
    interruptAfterSteps: options.interruptAfterSteps,
    resume: resume ?? undefined,
    syncGradients: parallel ? () => parallel.ddp.reduceGradients() : undefined,
    checkpoint: async (c) => {
      try {
        await saveCheckpoint(checkpointPath, {
          task: run.task.name,
          config: configRecord,
          frozen: model.frozenPart?.key ?? null,
          ...c,
        });
      } finally {
        dispose([c.model, c.rngCpu, c.rngCuda, c.loader?.generator]);
        for (const s of c.optimizer.state.values()) dispose(Object.values(s));
      }
    },
  });
  mark(run, "train", t);

  if (parallel) {
    if (trainSet !== fullTrainSet) trainSet.dispose();
    await stopDataParallel();
  }
  return { result, optimizer, studyModel, configRecord, checkpointPath, valLogits };
}

/** Frees what the run holds: the optimizer, the model, the cached features and the data. */
function releaseRun(data: StudyData, prepared: PreparedModel, trained: TrainedModel): void {
  trained.valLogits?.dispose();
  trained.optimizer.dispose();
  prepared.model.module.dispose();
  if (prepared.cached) {
    prepared.trainSet.dispose();
    prepared.valSet.dispose();
    prepared.testSet.dispose();
  }
  disposeStudyData(data);
  releaseNormalizeStats();
}

/** A run that did not finish training (interrupted or stopped), or a helper rank: the log, and nothing else. */
async function endEarly(
  run: RunContext,
  data: StudyData,
  prepared: PreparedModel,
  trained: TrainedModel,
): Promise<RunOutcome> {
  const { status, stepLosses } = trained.result;
  if (run.helperRank) {
    releaseRun(data, prepared, trained);
    return { status, outDir: null, stepLosses };
  }
  if (status === "interrupted") {
    run.log.info(`checkpoint saved: ${trained.checkpointPath}`);
    run.log.info(`resume with: deno task ${run.task.name} --resume ${trained.checkpointPath}`);
  }
  await run.log.save(join(run.outDir, run.files.log));
  releaseRun(data, prepared, trained);
  return { status, outDir: run.outDir, stepLosses };
}

/**
 * Stage 5: logits of the validation part (the last epoch's validation computed them already) and the test
 * split, the temperature fit on the first, the metrics before and after and the sweep on the second (see
 * `evaluate.ts`). The figures are drawn meanwhile: the training curves from the start, the calibration
 * figures once they are known.
 */
function evaluateModel(
  run: RunContext,
  prepared: PreparedModel,
  trained: TrainedModel,
  figures: FigureWriter,
): CalibrationStudy {
  const { config, log, progress, task, files, outDir } = run;
  const { valSet, testSet, forward, evalTransform } = prepared;
  for (const f of trainingFigures(task.title, trained.result.history, files)) {
    figures.write(join(outDir, f.file), f.spec);
  }
  let t = performance.now();
  trained.studyModel.setTraining(false);
  const predict = (ds: ImageDataset, label: string) =>
    predictLogits(forward, ds, { transform: evalTransform, batchSize: config.batchSize, label, progress });
  using valLogits = trained.valLogits ?? predict(valSet, "predict validation");
  trained.valLogits = null; // disposed here
  using testLogits = predict(testSet, "predict test");
  using valLabels = valSet.labels.to({ device: "cpu" });
  using testLabels = testSet.labels.to({ device: "cpu" });
  mark(run, "evaluate", t);
  t = performance.now();
  const calibration = calibrationStudy(
    { logits: valLogits, labels: valLabels },
    { logits: testLogits, labels: testLabels },
    config.bins,
  );
  mark(run, "calibrate", t);
  for (const f of calibrationFigures(task.title, calibration, files)) figures.write(join(outDir, f.file), f.spec);
  const b = calibration.before, a = calibration.after;
  log.info(
    `test accuracy ${b.accuracy.toFixed(4)}; top-label ECE (${calibration.binning}) ${b.eceTopLabel.toFixed(4)} -> ` +
      `${a.eceTopLabel.toFixed(4)} with T = ${calibration.temperature.temperature.toFixed(4)}; ` +
      `NLL ${b.nll.toFixed(4)} -> ${a.nll.toFixed(4)}`,
  );
  return calibration;
}

/**
 * Stage 6: the run folder: the model's weights (`model.pt`, a state dict `torch.load` reads), the figures
 * (waiting for the worker), `report.json` and `report.md` (see `report.ts`), `log.txt`; then frees what the
 * run holds.
 */
async function writeRunFolder(
  run: RunContext,
  data: StudyData,
  prepared: PreparedModel,
  trained: TrainedModel,
  calibration: CalibrationStudy,
  figures: FigureWriter,
): Promise<RunOutcome> {
  const { task, outDir, files, timings, log } = run;
  const t = performance.now();
  const weights = prepared.model.module.stateDict();
  try {
    await save(join(outDir, files.model), weights);
  } finally {
    dispose(weights);
  }
  const info = buildInfo();
  const report: Report = {
    task: task.name,
    title: task.title,
    finishedAt: new Date().toISOString(),
    config: trained.configRecord,
    environment: {
      denotorch: VERSION,
      deno: Deno.version.deno,
      libtorch: info.torch,
      cudaBuild: info.cudaBuild,
      device: run.device,
      threads: getNumThreads(),
      os: `${Deno.build.os} ${Deno.build.arch}`,
      kernels: kernelInfo(),
    },
    data: {
      dir: data.dir,
      description: describeData(data, prepared.built.preprocessing),
      classes: data.classes,
      labels: { bird: 0, cat: 1 },
      counts: { train: data.train.length, val: data.val.length, test: data.test.length },
      mean: data.mean,
      std: data.std,
      featuresCached: prepared.cached,
    },
    model: prepared.info,
    training: {
      history: trained.result.history,
      stepLosses: trained.result.stepLosses,
      resumed: run.resume !== null,
    },
    calibration,
    reference: { text: task.reference },
    timings,
    files,
    figureFormats: run.config.png ? ["svg", "png"] : ["svg"],
  };
  mark(run, "report", t);
  timings.figures = (await figures.done()).seconds;
  timings.total = (performance.now() - run.t0) / 1000;
  const memory = residentMemory();
  report.memory = memory && { peakMiB: memory.peakMiB, afterLoadMiB: run.rssAfterLoadMiB, atEndMiB: memory.currentMiB };
  await writeReport(outDir, report);
  log.info(`report: ${join(outDir, files.reportMd)}`);
  await log.save(join(outDir, files.log));
  releaseRun(data, prepared, trained);
  return { status: "finished", outDir, stepLosses: trained.result.stepLosses, report };
}

/** Removes `dir` when it holds nothing; returns whether it did. */
function removeIfEmpty(dir: string): boolean {
  try {
    for (const _ of Deno.readDirSync(dir)) return false;
    Deno.removeSync(dir);
    return true;
  } catch {
    return false; // best effort: the folder stays
  }
}

/** The configuration as the flags name it (for the report and the checkpoint). */
function flagRecord(c: StudyConfig): Record<string, unknown> {
  return {
    data: c.data,
    download: c.download,
    epochs: c.epochs,
    "batch-size": c.batchSize,
    lr: c.lr,
    seed: c.seed,
    "val-fraction": c.valFraction,
    device: c.device,
    threads: c.threads,
    bins: c.bins,
    png: c.png,
    out: c.out,
    limit: c.limit,
    ...c.extra,
  };
}

/**
 * The task's entry point: runs it on `Deno.args`, turning flag errors into a message and exit code 2,
 * and other failures into a message and exit code 1 (no stack trace for expected failures).
 */
export async function main(task: StudyTask): Promise<void> {
  try {
    const outcome = await runStudy(task, Deno.args);
    if (outcome.status === "interrupted") Deno.exit(130);
  } catch (e) {
    if (e instanceof FlagError || e instanceof CheckpointError) {
      console.error(`deno task ${task.name}: ${e.message}`);
      Deno.exit(2);
    }
    console.error(`deno task ${task.name} failed: ${(e as Error).message}`);
    if (Deno.env.get("DENOTORCH_DEBUG")) console.error(e);
    Deno.exit(1);
  }
}
