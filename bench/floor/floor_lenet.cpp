// The C++ floor of the LeNet benchmark: the epoch of bench/lenet.ts and bench/lenet.py with no binding at
// all, in LibTorch's C++ frontend. The same LeNet-5 (scripts/fixtures/lenet_ref.py: parameters created in
// the same order, so the same initial values after manual_seed(0)), the same bird/cat records, the same
// preprocessing, a new randperm each epoch, batch 64, Adam lr 1e-3 (C++'s Adam takes the same steps as
// torch.optim.Adam's single-tensor path) and BCE-with-logits.
//
//   floor_lenet <threads> <cifar-10-batches-bin> <repeats> <limit>
//
// Prints one JSON object: {"train_epoch_s": [seconds of each epoch after a warm-up], "final_loss": [the last
// batch's loss, to compare bits with the other sides], "initial_parameter_sum": [x]}.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace {

struct LeNetImpl : torch::nn::Module {
  torch::nn::Sequential features, classifier;
  LeNetImpl() {
    namespace nn = torch::nn;
    // one statement per layer: the order of function arguments' evaluation is unspecified in C++, and the
    // order of creation decides the random initial values
    nn::Sequential f, c;
    f->push_back(nn::Conv2d(nn::Conv2dOptions(3, 6, 5)));
    f->push_back(nn::BatchNorm2d(6));
    f->push_back(nn::ReLU());
    f->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    f->push_back(nn::Conv2d(nn::Conv2dOptions(6, 16, 5)));
    f->push_back(nn::BatchNorm2d(16));
    f->push_back(nn::ReLU());
    f->push_back(nn::MaxPool2d(nn::MaxPool2dOptions(2)));
    c->push_back(nn::Flatten());
    c->push_back(nn::Linear(400, 120));
    c->push_back(nn::ReLU());
    c->push_back(nn::Dropout(0.5));
    c->push_back(nn::Linear(120, 84));
    c->push_back(nn::ReLU());
    c->push_back(nn::Dropout(0.5));
    c->push_back(nn::Linear(84, 1));
    features = register_module("features", f);
    classifier = register_module("classifier", c);
  }
  torch::Tensor forward(const torch::Tensor& x) { return classifier->forward(features->forward(x)); }
};
TORCH_MODULE(LeNet);

// uint8 images [N, 3, 32, 32] and 0/1 labels (bird 0, cat 1) of the training split's birds and cats.
void read_train(const std::string& dir, int64_t limit, torch::Tensor& images, torch::Tensor& labels) {
  constexpr int64_t record = 3073;
  std::vector<uint8_t> pixels;
  std::vector<int64_t> classes;
  for (int k = 1; k <= 5; ++k) {
    std::string path = dir + "/data_batch_" + std::to_string(k) + ".bin";
    std::ifstream f(path, std::ios::binary);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::vector<uint8_t> raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    for (size_t off = 0; off + record <= raw.size(); off += record) {
      uint8_t label = raw[off];
      if (label != 2 && label != 3) continue;
      if (limit > 0 && static_cast<int64_t>(classes.size()) >= limit) break;
      classes.push_back(label == 3 ? 1 : 0);
      pixels.insert(pixels.end(), raw.begin() + off + 1, raw.begin() + off + record);
    }
  }
  const int64_t n = static_cast<int64_t>(classes.size());
  images = torch::from_blob(pixels.data(), {n, 3, 32, 32}, torch::kUInt8).clone();
  labels = torch::from_blob(classes.data(), {n}, torch::kInt64).clone();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: floor_lenet <threads> <cifar-10-batches-bin> [repeats] [limit]\n";
    return 2;
  }
  try {
    torch::set_num_threads(std::atoi(argv[1]));
    const std::string dir = argv[2];
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 2;
    const int64_t limit = argc > 4 ? std::atoll(argv[4]) : 0;
    torch::Tensor images, labels;
    read_train(dir, limit, images, labels);
    auto x = images.to(torch::kFloat).div(255).sub(0.5).div(0.25);
    auto y = labels.to(torch::kFloat);
    torch::manual_seed(0);
    LeNet model;
    double init_sum = 0;
    for (const auto& p : model->parameters()) init_sum += p.sum().item<double>();
    torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(1e-3));
    const int64_t n = x.size(0);
    double last_loss = 0;
    auto epoch = [&]() {
      auto t0 = std::chrono::steady_clock::now();
      model->train();
      auto perm = torch::randperm(n);
      for (int64_t s = 0; s < n; s += 64) {
        auto idx = perm.narrow(0, s, std::min<int64_t>(64, n - s));
        opt.zero_grad();
        auto loss = torch::binary_cross_entropy_with_logits(model->forward(x.index_select(0, idx)).squeeze(1),
                                                            y.index_select(0, idx));
        loss.backward();
        opt.step();
        if (s + 64 >= n) last_loss = loss.item<double>();
      }
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    epoch();  // warm-up
    std::vector<double> times;
    for (int r = 0; r < repeats; ++r) times.push_back(epoch());
    std::cout << "{\"train_epoch_s\":[";
    for (size_t i = 0; i < times.size(); ++i) std::cout << (i ? "," : "") << times[i];
    char loss[64];
    std::snprintf(loss, sizeof loss, "%.17g", last_loss);
    std::cout << "],\"final_loss\":[" << loss << "],\"initial_parameter_sum\":[" << init_sum << "]}" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "floor_lenet: " << e.what() << "\n";
    return 1;
  }
}
