/**
 * `deno task lenet`: the LeNet-5 calibration study on CIFAR-10 birds and cats (`study/tasks/lenet.ts`).
 * Trains the LeNet (logits, BCE, Adam), evaluates it on the test split, fits a temperature on the held-out
 * validation part, sweeps temperatures, and writes the report, figures, weights and checkpoint into the run
 * folder. `--nproc N` runs it data-parallel on N processes.
 *
 * `deno task lenet --help` lists the flags.
 *
 * @module
 */

import { runTaskScript } from "./study_task.ts"; // first: it sets the kernel profile before LibTorch loads
import { lenetTask } from "../study/tasks/lenet.ts";
if (import.meta.main) await runTaskScript(lenetTask, import.meta.filename!, { nproc: true });
