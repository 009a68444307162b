/**
 * Parsing of `initMethod` (`tcp://host:port`, `env://`) as PyTorch's rendezvous handlers read it
 * (torch/distributed/rendezvous.py).
 *
 * @module
 */

/** Where the TCPStore of rank 0 listens, and this process's place in the group. */
export interface Rendezvous {
  /** Host name or address of rank 0's store. */
  host: string;
  /** Its port. */
  port: number;
  /** This process's rank. */
  rank: number;
  /** The number of processes. */
  worldSize: number;
}

function integer(text: string, what: string, source: string): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new RangeError(`${source}: ${what} must be an integer, got "${text}"`);
  return Number(text.trim());
}

function env(name: string): string | undefined {
  const v = Deno.env.get(name);
  return v === undefined || v === "" ? undefined : v;
}

/**
 * Resolves `initMethod` with the explicit `rank` and `worldSize` (which win, as in PyTorch, over the
 * URL's query and the environment).
 */
export function parseInitMethod(initMethod: string, rank?: number, worldSize?: number): Rendezvous {
  let url: URL;
  try {
    url = new URL(initMethod);
  } catch {
    throw new TypeError(
      `initProcessGroup: initMethod "${initMethod}" is not a URL: use "tcp://host:port" or "env://"`,
    );
  }
  const query = url.searchParams;
  const pick = (explicit: number | undefined, key: string, envName: string | null, source: string) => {
    if (explicit !== undefined) return explicit;
    const q = query.get(key);
    if (q !== null) return integer(q, key, source);
    if (envName !== null) {
      const v = env(envName);
      if (v === undefined) throw new Error(`${source}: environment variable ${envName} expected, but not set`);
      return integer(v, envName, source);
    }
    throw new Error(`${source}: ${key === "rank" ? "rank" : "worldSize"} missing (pass it, or ?${key}= in the URL)`);
  };
  if (url.protocol === "tcp:") {
    const source = "tcp:// rendezvous";
    if (url.port === "") throw new Error(`${source}: port number missing in "${initMethod}"`);
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    if (host === "") throw new Error(`${source}: host missing in "${initMethod}"`);
    return {
      host,
      port: Number(url.port),
      rank: pick(rank, "rank", null, source),
      worldSize: pick(worldSize, "world_size", null, source),
    };
  }
  if (url.protocol === "env:") {
    const source = "env:// rendezvous";
    const host = env("MASTER_ADDR");
    if (host === undefined) throw new Error(`${source}: environment variable MASTER_ADDR expected, but not set`);
    const portText = env("MASTER_PORT");
    if (portText === undefined) throw new Error(`${source}: environment variable MASTER_PORT expected, but not set`);
    const port = integer(portText, "MASTER_PORT", source);
    if (port < 0 || port > 65535) throw new RangeError(`${source}: MASTER_PORT must be in [0, 65535], got ${port}`);
    return {
      host,
      port,
      rank: pick(rank, "rank", "RANK", source),
      worldSize: pick(worldSize, "world_size", "WORLD_SIZE", source),
    };
  }
  throw new TypeError(
    `initProcessGroup: initMethod "${initMethod}" has an unsupported scheme "${url.protocol}//": use "tcp://host:port" or "env://"`,
  );
}
