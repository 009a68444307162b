// A consumer of the library, as a project of its own would write it: it imports "denotorch" through its own
// import map (tests/consumer/consumer_test.ts points it at a read-only copy and at an HTTP server), trains
// two SGD steps of a small model and saves the state dict to the path given as the first argument. It
// prints the losses and the saved values as JSON, for the test to compare with what PyTorch-Python loads.
import * as torch from "denotorch";

const out = Deno.args[0];
if (!out) throw new Error("usage: main.ts <state_dict.pt>");
torch.manualSeed(0);
const model = new torch.Sequential(new torch.Linear(4, 3), new torch.ReLU(), new torch.Linear(3, 1));
const opt = new torch.SGD(model.parameters(), { lr: 0.1 });
const x = torch.randn([8, 4]);
const y = torch.randn([8, 1]);
const losses: number[] = [];
for (let step = 0; step < 2; step++) {
  opt.zeroGrad();
  const loss = torch.mseLoss(model.forward(x), y);
  loss.backward();
  opt.step();
  losses.push(loss.item());
  loss.dispose();
}
const sd = model.stateDict();
await torch.save(out, sd);
const values = Object.fromEntries(Object.entries(sd).map(([k, t]: [string, torch.Tensor]) => [k, t.toArray()]));
console.log(JSON.stringify({ losses, values }));
