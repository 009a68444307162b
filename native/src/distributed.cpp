// Distributed entry points over LibTorch's c10d: the TCPStore rendezvous, the Gloo process group, its
// collectives and their work handles. Nothing here implements a collective: every one is c10d's.
//
// The process group is made exactly as PyTorch-Python's `init_process_group(backend="gloo")` makes it
// (torch/distributed/distributed_c10d.py and rendezvous.py of 1.13), so that Deno ranks and Python ranks
// can join the same group: a multi-tenant TCPStore (server on rank 0), PrefixStore "default_pg", then
// PrefixStore "0" (the first group's name), ProcessGroupGloo with the devices PyTorch chooses
// (GLOO_SOCKET_IFNAME, else the host name's address), the store-based barrier on the key
// "store_based_barrier_key:1", and the group's sequence number.
#include <torch/version.h>

#include "common.h"

#ifdef TT_WITH_GLOO

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

namespace {

// A process group and the store it was made with (the store must outlive the group).
struct Group {
  c10::intrusive_ptr<c10d::Store> tcp;
  c10::intrusive_ptr<c10d::Store> store;  // PrefixStore "default_pg" over tcp
  c10::intrusive_ptr<c10d::ProcessGroupGloo> pg;
  std::chrono::milliseconds timeout;
};

// An operation in flight: c10d's work and every tensor it reads or writes, so that they stay alive
// until the work is freed whatever the TypeScript side does with its own handles.
struct Pending {
  c10::intrusive_ptr<c10d::Work> work;
  std::vector<at::Tensor> tensors;
  std::vector<std::vector<at::Tensor>> lists;
  double divide_by = 0;  // average: divide tensors[0] by this once the sum is done
  bool waited = false;
};

Group& group_ref(double h) {
  if (h == 0) throw std::invalid_argument("the process group was destroyed (call initProcessGroup first)");
  return *tt::from_handle<Group>(h);
}

at::Tensor checked(double h, const char* what) {
  const at::Tensor& t = tt::tensor_ref(h);
  TORCH_CHECK(t.defined(), what, " is an undefined tensor");
  TORCH_CHECK(t.device().is_cpu(), what, " must be a CPU tensor for the gloo backend (got ", t.device(), ")");
  TORCH_CHECK(t.layout() == c10::kStrided, what, " must be a dense (strided) tensor");
  TORCH_CHECK(t.is_contiguous(), what, " must be contiguous (call .contiguous() first)");
  return t;
}

std::vector<at::Tensor> checked_list(const double* handles, int32_t n, const char* what) {
  TORCH_CHECK(n >= 0, what, ": negative length");
  std::vector<at::Tensor> list;
  list.reserve(n);
  for (int32_t i = 0; i < n; i++) list.push_back(checked(handles[i], what));
  return list;
}

c10d::ReduceOp reduce_op(int32_t code) {
  switch (code) {
    case TT_DIST_SUM: return c10d::ReduceOp::SUM;
    case TT_DIST_PRODUCT: return c10d::ReduceOp::PRODUCT;
    case TT_DIST_MIN: return c10d::ReduceOp::MIN;
    case TT_DIST_MAX: return c10d::ReduceOp::MAX;
    default: throw std::invalid_argument("unknown reduce op code " + std::to_string(code));
  }
}

double new_pending(Pending* p) { return tt::to_handle(p); }

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> parts;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) parts.push_back(item);
  }
  return parts;
}

}  // namespace

extern "C" {

int32_t tt_dist_available(void) {
  TT_GUARD
  return 1;
  TT_GUARD_END(0)
}

tt_dist_group tt_dist_init(const char* host, int32_t port, int32_t rank, int32_t world_size, double timeout_ms,
                           char* err, int32_t errcap) {
  TT_TRY
  TORCH_CHECK(port >= 0 && port < 65536, "port must be in [0, 65535], got ", port);
  TORCH_CHECK(world_size >= 1, "worldSize must be at least 1, got ", world_size);
  TORCH_CHECK(rank >= 0 && rank < world_size, "rank must be in [0, ", world_size - 1, "], got ", rank);
  TORCH_CHECK(timeout_ms > 0, "timeout must be positive");
  auto timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_ms));
  auto group = std::make_unique<Group>();
  group->timeout = timeout;

  const auto start = std::chrono::steady_clock::now();
  const auto elapsed_ms = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  };
  const std::string where = std::string(" (rank ") + std::to_string(rank) + " of " + std::to_string(world_size) +
                            ", store at " + host + ":" + std::to_string(port) + ")";
  std::string stage = "starting the store";
  try {
    c10d::TCPStoreOptions opts;
    opts.port = static_cast<uint16_t>(port);
    opts.isServer = rank == 0;
    opts.numWorkers = static_cast<size_t>(world_size);
    opts.waitWorkers = true;
    opts.timeout = timeout;
    opts.multiTenant = true;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    opts.useLibUV = false;  // 2.4+ default to libuv, which Debian's LibTorch is built without (as PyTorch 1.13's store)
#endif
    if (rank != 0) stage = "connecting to rank 0's store";
    group->tcp = c10::make_intrusive<c10d::TCPStore>(std::string(host), opts);
    // Rank 0's store waits for every rank to connect, and gives up silently at the timeout: say so here,
    // rather than after a second timeout in Gloo's rendezvous.
    if (rank == 0 && world_size > 1 && elapsed_ms() >= timeout.count()) {
      TORCH_CHECK(false, "not every rank connected to the store within the timeout of ", timeout.count(),
                  " ms (a rank that never started, died, or was given another address or port)");
    }
    group->tcp->setTimeout(timeout);
    group->store = c10::make_intrusive<c10d::PrefixStore>("default_pg", group->tcp);
    auto pg_store = c10::make_intrusive<c10d::PrefixStore>("0", group->store);

    stage = "creating Gloo's devices";
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    const char* ifnames = std::getenv("GLOO_SOCKET_IFNAME");
    if (ifnames != nullptr && std::strlen(ifnames) > 1) {
      for (const auto& name : split_commas(ifnames)) {
        options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
      }
    } else {
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    options->threads = static_cast<int>(options->devices.size() * 2);
    stage = "connecting Gloo to every rank";
    group->pg = c10::make_intrusive<c10d::ProcessGroupGloo>(pg_store, rank, world_size, options);

    // PyTorch's _store_based_barrier: every rank adds 1, then waits for world_size.
    stage = "the store-based barrier";
    const std::string key = "store_based_barrier_key:1";
    group->store->add(key, 1);
    for (;;) {
      int64_t count = group->store->add(key, 0);
      if (count == world_size) break;
      if (elapsed_ms() > timeout.count()) {
        TORCH_CHECK(false, "timed out: ", count, " of ", world_size, " ranks reached it within ", timeout.count(),
                    " ms");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    stage = "setting the sequence number";
    group->pg->setSequenceNumberForGroup();
  } catch (const c10::Error& e) {
    throw std::runtime_error(stage + where + ": " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw std::runtime_error(stage + where + ": " + e.what());
  }
  return tt::to_handle(group.release());
  TT_CATCH(err, errcap, 0)
}

void tt_dist_group_free(tt_dist_group g) {
  if (g == 0) return;
  try {
    delete tt::from_handle<Group>(g);
  } catch (...) {
  }
}

int32_t tt_dist_group_rank(tt_dist_group g) {
  if (g == 0) return -1;
  TT_GUARD
  return tt::from_handle<Group>(g)->pg->getRank();
  TT_GUARD_END(-1)
}

int32_t tt_dist_group_size(tt_dist_group g) {
  if (g == 0) return -1;
  TT_GUARD
  return tt::from_handle<Group>(g)->pg->getSize();
  TT_GUARD_END(-1)
}

tt_dist_work tt_dist_allreduce(tt_dist_group g, tt_tensor t, int32_t op, char* err, int32_t errcap) {
  TT_TRY
  Group& group = group_ref(g);
  auto p = std::make_unique<Pending>();
  p->tensors.push_back(checked(t, "tensor"));
  c10d::AllreduceOptions opts;
  if (op == TT_DIST_AVG) {  // average: Gloo has no AVG (c10d rejects ReduceOp.AVG for gloo), so sum and divide
    TORCH_CHECK(at::isFloatingType(p->tensors[0].scalar_type()) || at::isComplexType(p->tensors[0].scalar_type()),
                "op \"avg\" needs a floating point tensor (got ", p->tensors[0].scalar_type(), ")");
    opts.reduceOp = c10d::ReduceOp::SUM;
    p->divide_by = group.pg->getSize();
  } else {
    opts.reduceOp = reduce_op(op);
  }
  p->work = group.pg->allreduce(p->tensors, opts);
  return new_pending(p.release());
  TT_CATCH(err, errcap, 0)
}

tt_dist_work tt_dist_broadcast(tt_dist_group g, tt_tensor t, int32_t root, char* err, int32_t errcap) {
  TT_TRY
  Group& group = group_ref(g);
  TORCH_CHECK(root >= 0 && root < group.pg->getSize(), "src must be in [0, ", group.pg->getSize() - 1,
              "], got ", root);
  auto p = std::make_unique<Pending>();
  p->tensors.push_back(checked(t, "tensor"));
  c10d::BroadcastOptions opts;
  opts.rootRank = root;
  opts.rootTensor = 0;
  p->work = group.pg->broadcast(p->tensors, opts);
  return new_pending(p.release());
  TT_CATCH(err, errcap, 0)
}

tt_dist_work tt_dist_allgather(tt_dist_group g, const double* outputs, int32_t n, tt_tensor input, char* err,
                               int32_t errcap) {
  TT_TRY
  Group& group = group_ref(g);
  TORCH_CHECK(n == group.pg->getSize(), "tensorList must hold worldSize (", group.pg->getSize(),
              ") tensors, got ", n);
  auto p = std::make_unique<Pending>();
  p->tensors.push_back(checked(input, "tensor"));
  p->lists.push_back(checked_list(outputs, n, "tensorList"));
  p->work = group.pg->allgather(p->lists, p->tensors, c10d::AllgatherOptions());
  return new_pending(p.release());
  TT_CATCH(err, errcap, 0)
}

tt_dist_work tt_dist_reduce_scatter(tt_dist_group g, tt_tensor output, const double* inputs, int32_t n, int32_t op,
                                    char* err, int32_t errcap) {
  TT_TRY
  Group& group = group_ref(g);
  TORCH_CHECK(op != TT_DIST_AVG, "op \"avg\" is not supported by the gloo backend");
  auto p = std::make_unique<Pending>();
  p->tensors.push_back(checked(output, "output"));
  p->lists.push_back(checked_list(inputs, n, "inputList"));
  c10d::ReduceScatterOptions opts;
  opts.reduceOp = reduce_op(op);
  p->work = group.pg->reduce_scatter(p->tensors, p->lists, opts);  // Gloo 1.13 throws: not supported
  return new_pending(p.release());
  TT_CATCH(err, errcap, 0)
}

tt_dist_work tt_dist_send(tt_dist_group g, tt_tensor t, int32_t dst, int32_t tag, char* err, int32_t errcap) {
  TT_TRY
  Group& group = group_ref(g);
  TORCH_CHECK(dst >= 0 && dst < group.pg->getSize(), "dst must be in [0, ", group.pg->getSize() - 1,
              "], got ", dst);
  TORCH_CHECK(dst != group.pg->getRank(), "dst must differ from this rank (", dst, ")");
  auto p = std::make_unique<Pending>();
  p->tensors.push_back(checked(t, "tensor"));
  p->work = group.pg->send(p->tensors, dst, tag);
  return new_pending(p.release());
  TT_CATCH(err, errcap, 0)
}

tt_dist_work tt_dist_recv(tt_dist_group g, tt_tensor t, int32_t src, int32_t tag, char* err, int32_t errcap) {
  TT_TRY
  Group& group = group_ref(g);
  TORCH_CHECK(src >= 0 && src < group.pg->getSize(), "src must be in [0, ", group.pg->getSize() - 1,
              "], got ", src);
  TORCH_CHECK(src != group.pg->getRank(), "src must differ from this rank (", src, ")");
  auto p = std::make_unique<Pending>();
  p->tensors.push_back(checked(t, "tensor"));
  p->work = group.pg->recv(p->tensors, src, tag);
  return new_pending(p.release());
  TT_CATCH(err, errcap, 0)
}

tt_dist_work tt_dist_barrier(tt_dist_group g, char* err, int32_t errcap) {
  TT_TRY
  Group& group = group_ref(g);
  auto p = std::make_unique<Pending>();
  p->work = group.pg->barrier(c10d::BarrierOptions());
  return new_pending(p.release());
  TT_CATCH(err, errcap, 0)
}

// Blocks until the work is done (bounded by the group's timeout, which Gloo applies to every operation);
// called through a nonblocking FFI symbol, so on a thread of Deno's pool, never on the event loop.
int32_t tt_dist_work_wait(tt_dist_work w, char* err, int32_t errcap) {
  TT_TRY
  TORCH_CHECK(w != 0, "null work handle");
  Pending& p = *tt::from_handle<Pending>(w);
  TORCH_CHECK(!p.waited, "this work was already waited for");
  p.waited = true;
  p.work->wait();
  if (p.divide_by > 0) {
    at::NoGradGuard no_grad;  // collectives are not differentiable: a parameter may be averaged in place
    p.tensors[0].div_(p.divide_by);
  }
  return 0;
  TT_CATCH(err, errcap, TT_ERROR)
}

int32_t tt_dist_work_is_completed(tt_dist_work w) {
  if (w == 0) return -1;
  try {
    return tt::from_handle<Pending>(w)->work->isCompleted() ? 1 : 0;
  } catch (...) {
    return -1;
  }
}

void tt_dist_work_free(tt_dist_work w) {
  if (w == 0) return;
  TT_GUARD
  // A work still running keeps going safely: c10d's own work object holds its tensors too.
  delete tt::from_handle<Pending>(w);
  TT_GUARD_END_VOID
}

}  // extern "C"

#else  // no Gloo headers at build time: every entry point says so

namespace {
constexpr const char* kNoGloo =
    "this shim was built without Gloo's headers, so torch.distributed is unavailable: install them "
    "(Debian: apt-get install libgloo-dev) and rebuild the shim (deno task build --clean)";
}

extern "C" {
int32_t tt_dist_available(void) {
  TT_GUARD
  return 0;
  TT_GUARD_END(0)
}
tt_dist_group tt_dist_init(const char*, int32_t, int32_t, int32_t, double, char* err, int32_t errcap) {
  TT_GUARD
  tt::set_error(err, errcap, kNoGloo);
  return 0;
  TT_GUARD_END(0)
}
void tt_dist_group_free(tt_dist_group) {
  TT_GUARD
  TT_GUARD_END_VOID
}
int32_t tt_dist_group_rank(tt_dist_group) {
  TT_GUARD
  return -1;
  TT_GUARD_END(-1)
}
int32_t tt_dist_group_size(tt_dist_group) {
  TT_GUARD
  return -1;
  TT_GUARD_END(-1)
}
#define TT_NO_GLOO(name, ...)                                 \
  tt_dist_work name(__VA_ARGS__, char* err, int32_t errcap) { \
    TT_GUARD                                                  \
    tt::set_error(err, errcap, kNoGloo);                      \
    return 0;                                                 \
    TT_GUARD_END(0)                                           \
  }
TT_NO_GLOO(tt_dist_allreduce, tt_dist_group, tt_tensor, int32_t)
TT_NO_GLOO(tt_dist_broadcast, tt_dist_group, tt_tensor, int32_t)
TT_NO_GLOO(tt_dist_allgather, tt_dist_group, const double*, int32_t, tt_tensor)
TT_NO_GLOO(tt_dist_reduce_scatter, tt_dist_group, tt_tensor, const double*, int32_t, int32_t)
TT_NO_GLOO(tt_dist_send, tt_dist_group, tt_tensor, int32_t, int32_t)
TT_NO_GLOO(tt_dist_recv, tt_dist_group, tt_tensor, int32_t, int32_t)
TT_NO_GLOO(tt_dist_barrier, tt_dist_group)
int32_t tt_dist_work_wait(tt_dist_work, char* err, int32_t errcap) {
  TT_GUARD
  tt::set_error(err, errcap, kNoGloo);
  return -1;
  TT_GUARD_END(-1)
}
int32_t tt_dist_work_is_completed(tt_dist_work) {
  TT_GUARD
  return -1;
  TT_GUARD_END(-1)
}
void tt_dist_work_free(tt_dist_work) {
  TT_GUARD
  TT_GUARD_END_VOID
}
}  // extern "C"

#endif
