/**
 * `deno task launch`: starts the processes of a data-parallel job, in the manner of torchrun.
 *
 * ```sh
 * deno task launch --nproc 2 train.ts [script args]                  # one machine, 2 ranks
 * deno task launch --nnodes 2 --node-rank 0 --nproc 2 --master-addr 10.0.0.1 --master-port 29500 train.ts
 * ```
 *
 * Each process gets RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, LOCAL_RANK, LOCAL_WORLD_SIZE and
 * GROUP_RANK (the node's rank) in its environment (so `initProcessGroup()` with `env://` finds them),
 * and OMP_NUM_THREADS=1 unless set, as torchrun does. A `.py` script runs with `python3` (or $PYTHON),
 * anything else with `deno run -A`. Output lines are prefixed with the rank. When one process fails,
 * the others are stopped (SIGTERM, then SIGKILL after 5 s) and the launcher exits with its code.
 *
 * @module
 */

const HELP = `usage: deno task launch [options] script [args...]

  --nproc N          processes on this machine (alias --nproc-per-node), default 1
  --nnodes N         machines taking part, default 1
  --node-rank R      this machine's rank among them, default 0
  --master-addr A    address of the machine of rank 0, default 127.0.0.1
  --master-port P    its port for the TCPStore; default a free port (only with --nnodes 1)
  -h, --help         this text`;

function fail(message: string): never {
  console.error(`launch: ${message}`);
  Deno.exit(2);
}

function intOption(name: string, text: string | undefined, min: number, max = 1 << 30): number {
  if (text === undefined || !/^\d+$/.test(text)) fail(`${name} needs an integer, got ${text ?? "nothing"}`);
  const v = Number(text);
  if (v < min || v > max) fail(`${name} must be in [${min}, ${max}], got ${v}`);
  return v;
}

/** The command line, split into the launcher's options and the script with its arguments. */
export interface LaunchPlan {
  nproc: number;
  nnodes: number;
  nodeRank: number;
  masterAddr: string;
  masterPort: number | null;
  script: string;
  args: string[];
}

/** Parses the launcher's arguments (everything from the script on belongs to the script). */
export function parseLaunchArgs(argv: readonly string[]): LaunchPlan {
  const plan: LaunchPlan = {
    nproc: 1,
    nnodes: 1,
    nodeRank: 0,
    masterAddr: "127.0.0.1",
    masterPort: null,
    script: "",
    args: [],
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("-")) break;
    const [flag, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "-h":
      case "--help":
        console.log(HELP);
        Deno.exit(0);
        break;
      case "--nproc":
      case "--nproc-per-node":
      case "--nproc_per_node":
        plan.nproc = intOption(flag, value(), 1, 1024);
        break;
      case "--nnodes":
        plan.nnodes = intOption(flag, value(), 1, 1 << 16);
        break;
      case "--node-rank":
      case "--node_rank":
        plan.nodeRank = intOption(flag, value(), 0, 1 << 16);
        break;
      case "--master-addr":
      case "--master_addr": {
        const v = value();
        if (!v) fail(`${flag} needs an address`);
        plan.masterAddr = v;
        break;
      }
      case "--master-port":
      case "--master_port":
        plan.masterPort = intOption(flag, value(), 1, 65535);
        break;
      case "--":
        i++;
        break;
      default:
        fail(`unknown option ${a}\n${HELP}`);
    }
    if (flag === "--") break;
  }
  if (i >= argv.length) fail(`no script given\n${HELP}`);
  plan.script = argv[i];
  plan.args = argv.slice(i + 1);
  if (plan.nodeRank >= plan.nnodes) fail(`--node-rank ${plan.nodeRank} must be below --nnodes ${plan.nnodes}`);
  if (plan.nnodes > 1 && plan.masterPort === null) {
    fail("--master-port is required with --nnodes > 1 (every machine must use the same one)");
  }
  return plan;
}

/** A TCP port that is free now on `host` (the OS picks it). */
export function freePort(host = "127.0.0.1"): number {
  const listener = Deno.listen({ hostname: host, port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function pipeLines(stream: ReadableStream<Uint8Array>, prefix: string, out: typeof Deno.stdout) {
  const encoder = new TextEncoder();
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    rest += chunk;
    const lines = rest.split("\n");
    rest = lines.pop()!;
    if (lines.length > 0) await out.write(encoder.encode(lines.map((l) => prefix + l + "\n").join("")));
  }
  if (rest !== "") await out.write(encoder.encode(prefix + rest + "\n"));
}

/** Starts the plan's processes and resolves with the exit code of the job. */
export async function launch(plan: LaunchPlan): Promise<number> {
  const worldSize = plan.nproc * plan.nnodes;
  const port = plan.masterPort ?? freePort();
  const python = plan.script.endsWith(".py");
  const command = python ? (Deno.env.get("PYTHON") ?? "python3") : Deno.execPath();
  const baseArgs = python ? [plan.script, ...plan.args] : ["run", "-A", plan.script, ...plan.args];
  const children: { rank: number; child: Deno.ChildProcess; pipes: Promise<unknown> }[] = [];
  for (let local = 0; local < plan.nproc; local++) {
    const rank = plan.nodeRank * plan.nproc + local;
    const env: Record<string, string> = {
      RANK: String(rank),
      WORLD_SIZE: String(worldSize),
      MASTER_ADDR: plan.masterAddr,
      MASTER_PORT: String(port),
      LOCAL_RANK: String(local),
      LOCAL_WORLD_SIZE: String(plan.nproc),
      GROUP_RANK: String(plan.nodeRank),
    };
    if (Deno.env.get("OMP_NUM_THREADS") === undefined) env.OMP_NUM_THREADS = "1";
    const child = new Deno.Command(command, { args: baseArgs, env, stdin: "null", stdout: "piped", stderr: "piped" })
      .spawn();
    const prefix = `[rank ${rank}] `;
    const pipes = Promise.all([
      pipeLines(child.stdout, prefix, Deno.stdout),
      pipeLines(child.stderr, prefix, Deno.stderr),
    ]);
    children.push({ rank, child, pipes });
  }
  const stopAll = (signal: Deno.Signal) => {
    for (const { child } of children) {
      try {
        child.kill(signal);
      } catch { /* already exited */ }
    }
  };
  const onSigint = () => stopAll("SIGINT");
  Deno.addSignalListener("SIGINT", onSigint);
  let code = 0;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    const remaining = new Set(children);
    const exits = children.map((c) => c.child.status.then((status) => ({ c, status })));
    while (remaining.size > 0) {
      const { c, status } = await Promise.race([...remaining].map((r) => exits[children.indexOf(r)]));
      remaining.delete(c);
      if (!status.success && code === 0) {
        code = status.code !== 0 ? status.code : 1;
        const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
        if (remaining.size > 0) {
          console.error(`launch: rank ${c.rank} ${how}; stopping the other ${remaining.size} rank(s)`);
          stopAll("SIGTERM");
          killTimer = setTimeout(() => stopAll("SIGKILL"), 5000);
        } else {
          console.error(`launch: rank ${c.rank} ${how}`);
        }
      }
    }
    await Promise.all(children.map((c) => c.pipes));
  } finally {
    if (killTimer !== undefined) clearTimeout(killTimer);
    Deno.removeSignalListener("SIGINT", onSigint);
  }
  return code;
}

if (import.meta.main) {
  Deno.exit(await launch(parseLaunchArgs(Deno.args)));
}
