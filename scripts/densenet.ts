/**
 * `deno task densenet --weights <file.pt>`: fine-tunes a TorchScript DenseNet (torchvision's DenseNet-121
 * with ImageNet weights, made by `scripts/export_densenet121.py`) on CIFAR-10 birds and cats with a new
 * binary head (`study/tasks/densenet.ts`), then runs the same evaluation, temperature fit, sweep and report
 * as `deno task lenet`.
 *
 * `deno task densenet --help` lists the flags. Weights from `--weights`, else `$DENSENET_WEIGHTS`.
 *
 * @module
 */

import { runTaskScript } from "./study_task.ts"; // first: it sets the kernel profile before LibTorch loads
import { densenetTask } from "../study/tasks/densenet.ts";
if (import.meta.main) await runTaskScript(densenetTask, import.meta.filename!);
