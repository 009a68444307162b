"""Executes the study notebooks headlessly with Deno's Jupyter kernel and checks their outputs.

Run by scripts/notebooks.sh (which says what it needs). For each notebook: execute every cell with
nbclient (a cell error fails the run, with the cell and the error), write the executed copy into the
output folder, and check that every code cell not tagged "setup" has an output and that the outputs
carry the rich MIME types: text/html (tensors, modules, the
before/after table, the progress display), image/svg+xml and application/vnd.vegalite.v5+json (every
chart), and that the progress display was redrawn in place (one display_data for many updates).
"""

import asyncio
import os
import queue
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError
from nbclient.util import ensure_async

VEGA_LITE = "application/vnd.vegalite.v5+json"
GRACE = float(os.environ.get("NOTEBOOK_IOPUB_GRACE", "0.25"))


class LateOutputClient(NotebookClient):
    """nbclient, also keeping a cell's outputs that arrive shortly after the kernel said it was idle.

    Deno 2.9's kernel sometimes publishes a cell's execute_result a few milliseconds after its
    `status: idle` message; plain nbclient (and so jupyter nbconvert / jupyter execute) stops listening at
    idle and drops that output at random. This keeps listening for GRACE seconds after idle (replaces
    nbclient 0.7's _async_poll_output_msg, Debian 12's version).
    """

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        idle = False
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=GRACE if idle else None))
            except (queue.Empty, asyncio.TimeoutError):
                if idle:
                    return
                raise
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                idle = True


def outputs(nb):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            yield cell, out


def check(nb, name):
    problems = []
    bundles = [(c, o) for c, o in outputs(nb) if o.get("output_type") in ("execute_result", "display_data")]
    errors = [(c, o) for c, o in outputs(nb) if o.get("output_type") == "error"]
    for c, o in errors:
        problems.append(f"{c['id']}: {o.get('ename')}: {o.get('evalue')}")
    for c in nb.cells:
        if c.cell_type == "code" and "setup" not in c.metadata.get("tags", []) and not c.get("outputs"):
            problems.append(f"{c['id']}: no output (every cell but the setup ones shows something)")
    charts = [o for _, o in bundles if "image/svg+xml" in o.get("data", {})]
    if len(charts) < 5:
        problems.append(f"expected at least 5 charts (training, before, every T, overlay, after), got {len(charts)}")
    for o in charts:
        data = o["data"]
        if VEGA_LITE not in data:
            problems.append(f"a chart without {VEGA_LITE}: {data.get('text/plain')}")
        elif not isinstance(data[VEGA_LITE], dict) or "v5.json" not in data[VEGA_LITE].get("$schema", ""):
            problems.append(f"the {VEGA_LITE} output is not a Vega-Lite v5 spec")
        if not str(data["image/svg+xml"]).lstrip().startswith("<svg"):
            problems.append("an image/svg+xml output that is not an SVG")
    htmls = [o["data"]["text/html"] for _, o in bundles if "text/html" in o.get("data", {})]
    for marker, what in [
        ("denotorch-module", "the model's rich display"),
        ("denotorch-calibration", "the before/after table"),
        ("denotorch-tensor", "a tensor's rich display"),
        ("<progress", "the progress display"),
    ]:
        if not any(marker in h for h in htmls):
            problems.append(f"no {what} (text/html with {marker})")
    table = [h for h in htmls if "denotorch-calibration" in h]
    if table and "bootstrap CI" not in table[0]:
        problems.append("the before/after table has no bootstrap interval")
    markdown = [o for _, o in bundles if "text/markdown" in o.get("data", {})]
    if not markdown:
        problems.append("no text/markdown output")
    for p in problems:
        print(f"{name}: {p}", file=sys.stderr)
    return not problems, len(charts), len(htmls)


def main():
    out_dir = sys.argv[1]
    paths = sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    ok = True
    for path in paths:
        name = os.path.basename(path)
        nb = nbformat.read(path, as_version=4)
        started = time.time()
        client = LateOutputClient(
            nb,
            timeout=int(os.environ.get("NOTEBOOK_CELL_TIMEOUT", "900")),
            kernel_name="deno",
            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        )
        failed = None
        try:
            client.execute()
        except CellExecutionError as e:
            failed = str(e)
        seconds = time.time() - started
        executed = os.path.join(out_dir, name)
        nbformat.write(nb, executed)
        if failed is not None:
            print(f"{name}: a cell failed after {seconds:.1f} s (executed copy: {executed}):\n{failed}", file=sys.stderr)
            ok = False
            continue
        good, charts, htmls = check(nb, name)
        ok = ok and good
        status = "ok" if good else "FAILED"
        print(f"{name}: {status} in {seconds:.1f} s, {charts} charts, {htmls} HTML outputs -> {executed}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
