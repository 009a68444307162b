// The C++ floor of the per-operator benchmark: what the same operators cost with no binding at all.
// Prints one JSON object: {"<case>": [per-iteration microseconds of each repeat], ...}.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

template <typename F>
std::vector<double> time_it(F fn, int iters, int repeats) {
  for (int i = 0; i < iters / 10 + 1; ++i) fn();
  std::vector<double> out;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < iters; ++i) fn();
    auto dt = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    out.push_back(dt / iters);
  }
  return out;
}

void print(const char* name, const std::vector<double>& v, bool last) {
  std::cout << "\"" << name << "\":[";
  for (size_t i = 0; i < v.size(); ++i) std::cout << (i ? "," : "") << v[i];
  std::cout << "]" << (last ? "" : ",");
}

int main(int argc, char** argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 1;
  int iters = argc > 2 ? std::atoi(argv[2]) : 100000;
  int repeats = argc > 3 ? std::atoi(argv[3]) : 7;
  at::set_num_threads(threads);
  auto a = at::rand({2, 2}), b = at::rand({2, 2});
  auto m = at::rand({4, 4}), n = at::rand({4, 4});
  auto r = at::rand({16, 16});
  std::cout << "{";
  print("add_2x2", time_it([&] { auto c = at::add(a, b); }, iters, repeats), false);
  print("matmul_4x4", time_it([&] { auto c = at::matmul(m, n); }, iters, repeats), false);
  print("sum_16x16", time_it([&] { auto c = at::sum(r); }, iters, repeats), true);
  std::cout << "}" << std::endl;
}
