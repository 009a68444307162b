/**
 * The training loop: epochs of mini-batches with BCE-with-logits, a progress bar (loss, accuracy, rate),
 * validation after each epoch, a checkpoint at the end of each epoch, and on Ctrl-C (SIGINT) a
 * checkpoint of the exact point reached, from which `--resume` continues to the result of an
 * uninterrupted run.
 *
 * Resuming mid-epoch: the loader is put back to its state at the start of that epoch and the batches
 * already done are drawn again and skipped (so the epoch's order and any random transforms repeat), then
 * the global generators are restored to their state at the interruption.
 *
 * @module
 */

import type { DataLoader } from "../datasets/mod.ts";
import type { Optimizer } from "../optim/mod.ts";
import { binaryCrossEntropyWithLogits } from "../nn/mod.ts";
import { noGrad } from "../tensor/autograd.ts";
import { tidy } from "../tensor/memory.ts";
import { getRngState, setRngState } from "../tensor/random.ts";
import type { Device } from "../tensor/device.ts";
import type { Checkpoint, EpochRecord, RunningSums } from "./checkpoint.ts";
import { checkpointState, type StudyModel } from "./model.ts";
import { ProgressBar } from "../datasets/progress.ts";
import type { Tensor } from "../tensor/tensor.ts";

/** The validation figures after an epoch. */
export interface Validation {
  /** Mean BCE loss. */
  loss: number;
  /** Accuracy. */
  accuracy: number;
}

/** What the loop needs. */
export interface TrainContext {
  /** The model. */
  model: StudyModel;
  /** The optimizer over the model's trainable parameters. */
  optimizer: Optimizer;
  /** Batches of `{ images, labels }` (labels float32 0/1); seeded. */
  loader: DataLoader;
  /** Total epochs. */
  epochs: number;
  /** The device training runs on (for the CUDA generator's state). */
  device: Device;
  /** Validation after each epoch. */
  validate: () => Validation;
  /** Saves a checkpoint (end of epoch, or interruption). */
  checkpoint: (c: Omit<Checkpoint, "task" | "config" | "frozen">) => Promise<void>;
  /** Prints a line. */
  log: (line: string) => void;
  /** Show progress bars (default true). */
  progress?: boolean;
  /** Stop (without saving) after this many steps in all; for tests. */
  maxSteps?: number;
  /** Behave as if Ctrl-C came after this many steps in all; for tests. */
  interruptAfterSteps?: number;
  /** Resume from this checkpoint. */
  resume?: Checkpoint;
  /** Averages the gradients over the ranks between backward and the optimizer step (data-parallel runs). */
  syncGradients?: () => Promise<void>;
}

/** How the loop ended. */
export interface TrainResult {
  /** "finished", or "interrupted" (Ctrl-C; a checkpoint was saved), or "stopped" (maxSteps). */
  status: "finished" | "interrupted" | "stopped";
  /** Finished epochs. */
  history: EpochRecord[];
  /** Every step's training loss. */
  stepLosses: number[];
  /** Seconds of training in this process. */
  seconds: number;
}

function rngStates(device: Device): { rngCpu: Tensor; rngCuda: Tensor | null } {
  return { rngCpu: getRngState("cpu"), rngCuda: device.startsWith("cuda") ? getRngState(device) : null };
}

function restoreRng(c: Checkpoint, device: Device): void {
  setRngState(c.rngCpu, "cpu");
  if (c.rngCuda && device.startsWith("cuda")) setRngState(c.rngCuda, device);
}

/** Runs (or resumes) training; see the module notes. */
export async function trainLoop(ctx: TrainContext): Promise<TrainResult> {
  const { model, optimizer, loader, epochs } = ctx;
  const history: EpochRecord[] = ctx.resume ? [...ctx.resume.history] : [];
  const stepLosses: number[] = ctx.resume ? [...ctx.resume.stepLosses] : [];
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) Deno.exit(130); // a second Ctrl-C leaves at once
    interrupted = true;
    ctx.log("\ninterrupted: saving a checkpoint at the end of this batch (Ctrl-C again to quit at once)");
  };
  Deno.addSignalListener("SIGINT", onSigint);
  const started = performance.now();
  let lastYield = performance.now();
  try {
    let startEpoch = 0;
    let skip = 0;
    let running: RunningSums = { lossSum: 0, batches: 0, correct: 0, seen: 0, seconds: 0 };
    if (ctx.resume) {
      startEpoch = ctx.resume.epoch;
      skip = ctx.resume.batch;
      running = { ...ctx.resume.running };
      if (ctx.resume.loader) loader.setState(ctx.resume.loader);
      if (skip === 0) restoreRng(ctx.resume, ctx.device);
    }
    for (let epoch = startEpoch; epoch < epochs; epoch++) {
      const loaderAtStart = loader.getState();
      const bar = new ProgressBar({
        label: `epoch ${epoch + 1}/${epochs}`,
        total: loader.length,
        unit: "img",
        logLines: 4,
        enabled: ctx.progress ?? true,
      });
      const epochStart = performance.now() - running.seconds * 1000;
      let b = 0;
      // once per epoch: nothing in the loop changes the mode, and a module tree's traversal (433 modules
      // for DenseNet-121, about 5 ms) would cost more than a head's whole step on cached features
      model.setTraining(true);
      for (const batch of loader) {
        if (b < skip) {
          batch.dispose();
          b++;
          if (b === skip) restoreRng(ctx.resume!, ctx.device); // back to the state at the interruption
          continue;
        }
        const sync = ctx.syncGradients;
        const backward = () => {
          optimizer.zeroGrad();
          const logits = model.forward(batch.images);
          const loss = binaryCrossEntropyWithLogits(logits, batch.labels);
          loss.backward();
          return { logits, loss };
        };
        const update = ({ logits, loss }: { logits: Tensor; loss: Tensor }) => {
          optimizer.step();
          const right = noGrad(() => logits.gt(0).eq(batch.labels.gt(0.5)).sum());
          return { loss: loss.item(), correct: right.item() };
        };
        // one scope per step; a synchronous one unless the gradients are averaged across ranks (an await)
        const { loss, correct } = sync === undefined ? tidy(() => update(backward())) : await tidy(async () => {
          const done = backward();
          await sync();
          return update(done);
        });
        const n = batch.labels.shape[0];
        batch.dispose();
        b++;
        stepLosses.push(loss);
        running.lossSum += loss;
        running.batches++;
        running.correct += correct;
        running.seen += n;
        bar.update(b, n, [
          `loss ${(running.lossSum / running.batches).toFixed(4)}`,
          `acc ${(running.correct / running.seen).toFixed(3)}`,
        ]);
        if (stepLosses.length === ctx.interruptAfterSteps) interrupted = true;
        if (ctx.maxSteps !== undefined && stepLosses.length >= ctx.maxSteps) {
          bar.finish();
          return { status: "stopped", history, stepLosses, seconds: (performance.now() - started) / 1000 };
        }
        // let signals (Ctrl-C) through now and then: FFI calls block the event loop
        if (performance.now() - lastYield > 200) {
          await new Promise((r) => setTimeout(r, 0));
          lastYield = performance.now();
        }
        if (interrupted && b < loader.length) {
          bar.finish();
          running.seconds = (performance.now() - epochStart) / 1000;
          await ctx.checkpoint({
            epoch,
            batch: b,
            model: checkpointState(model),
            optimizer: optimizer.stateDict(),
            ...rngStates(ctx.device),
            loader: loaderAtStart,
            running,
            history,
            stepLosses,
          });
          return { status: "interrupted", history, stepLosses, seconds: (performance.now() - started) / 1000 };
        }
      }
      skip = 0;
      bar.finish();
      loaderAtStart?.generator.dispose();
      const seconds = (performance.now() - epochStart) / 1000;
      model.setTraining(false);
      const val = ctx.validate();
      history.push({
        epoch: epoch + 1,
        loss: running.lossSum / running.batches,
        accuracy: running.correct / running.seen,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        seconds,
        imagesPerSecond: running.seen / seconds,
      });
      const h = history[history.length - 1];
      ctx.log(
        `epoch ${h.epoch}/${epochs}: loss ${h.loss.toFixed(4)} acc ${h.accuracy.toFixed(3)} | ` +
          `val loss ${h.valLoss.toFixed(4)} acc ${h.valAccuracy.toFixed(3)} | ${h.seconds.toFixed(1)} s, ` +
          `${Math.round(h.imagesPerSecond)} img/s`,
      );
      running = { lossSum: 0, batches: 0, correct: 0, seen: 0, seconds: 0 };
      await ctx.checkpoint({
        epoch: epoch + 1,
        batch: 0,
        model: checkpointState(model),
        optimizer: optimizer.stateDict(),
        ...rngStates(ctx.device),
        loader: loader.getState(),
        running,
        history,
        stepLosses,
      });
      if (interrupted) {
        return { status: "interrupted", history, stepLosses, seconds: (performance.now() - started) / 1000 };
      }
    }
    return { status: "finished", history, stepLosses, seconds: (performance.now() - started) / 1000 };
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
  }
}
