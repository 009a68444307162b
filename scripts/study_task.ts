/**
 * What the study task scripts (`scripts/lenet.ts`, `scripts/densenet.ts`) share: the `portable` kernel
 * profile (`study_kernels.ts`, imported here first, before the library loads LibTorch), and the run of a
 * task on `Deno.args`, optionally data-parallel with `--nproc N`.
 *
 * @module
 */

import "./study_kernels.ts"; // before the library loads LibTorch
import { main, type StudyTask } from "../study/pipeline.ts";

/** How {@linkcode runTaskScript} runs a task. */
export interface TaskScriptOptions {
  /**
   * `--nproc N` runs the same study data-parallel on N processes of this machine (through `launch.ts`;
   * see `study/data_parallel.ts`), each running `script` again with the other arguments.
   */
  nproc?: boolean;
}

/**
 * Runs `task` on `Deno.args` (see `study/pipeline.ts` `main`), the entry point of the task script `script`.
 *
 * @example
 * ```ts
 * import { runTaskScript } from "./study_task.ts";
 * import { lenetTask } from "../study/tasks/lenet.ts";
 * if (import.meta.main) await runTaskScript(lenetTask, import.meta.filename!, { nproc: true });
 * ```
 */
export async function runTaskScript(task: StudyTask, script: string, options: TaskScriptOptions = {}): Promise<void> {
  const at = Deno.args.findIndex((a) => a === "--nproc" || a.startsWith("--nproc="));
  if (options.nproc && at >= 0 && Deno.env.get("WORLD_SIZE") === undefined) {
    const { launch, parseLaunchArgs } = await import("./launch.ts");
    const value = Deno.args[at].includes("=") ? Deno.args[at].split("=")[1] : Deno.args[at + 1];
    const rest = Deno.args.filter((_, i) => i !== at && (Deno.args[at].includes("=") || i !== at + 1));
    Deno.exit(await launch(parseLaunchArgs(["--nproc", value ?? "", script, ...rest])));
  }
  await main(task);
}
