#include "server/io_batch.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace moe::server::internal {

namespace {

// The io_uring system calls, straight from the kernel's ABI (linux-libc-dev's
// <linux/io_uring.h>): two rings shared with the kernel, submissions (SQ) and
// completions (CQ). This thread is the only producer of the SQ tail and the
// only consumer of the CQ head; the kernel owns the other ends, hence the
// acquire and release accesses.
class UringBatch final : public IoBatch {
 public:
  UringBatch() = default;
  UringBatch(const UringBatch&) = delete;
  UringBatch& operator=(const UringBatch&) = delete;
  ~UringBatch() override {
    if (sqes_ != MAP_FAILED) munmap(sqes_, sqes_bytes_);
    if (cq_ring_ != MAP_FAILED && cq_ring_ != sq_ring_) munmap(cq_ring_, cq_bytes_);
    if (sq_ring_ != MAP_FAILED) munmap(sq_ring_, sq_bytes_);
    if (fd_ >= 0) ::close(fd_);
  }

  bool Init(unsigned capacity) {
    io_uring_params p{};
    // Operations complete inline (they never wait), so no task-work
    // interrupts are needed.
    p.flags = IORING_SETUP_COOP_TASKRUN;
    fd_ = static_cast<int>(syscall(__NR_io_uring_setup, capacity, &p));
    if (fd_ < 0 && errno == EINVAL) {  // a kernel older than 5.19
      p = {};
      fd_ = static_cast<int>(syscall(__NR_io_uring_setup, capacity, &p));
    }
    if (fd_ < 0) return false;  // ENOSYS, or EPERM from a seccomp filter
    sq_bytes_ = p.sq_off.array + p.sq_entries * sizeof(unsigned);
    cq_bytes_ = p.cq_off.cqes + p.cq_entries * sizeof(io_uring_cqe);
    bool single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
    if (single) sq_bytes_ = cq_bytes_ = std::max(sq_bytes_, cq_bytes_);
    sq_ring_ = Map(sq_bytes_, IORING_OFF_SQ_RING);
    if (sq_ring_ == MAP_FAILED) return false;
    cq_ring_ = single ? sq_ring_ : Map(cq_bytes_, IORING_OFF_CQ_RING);
    if (cq_ring_ == MAP_FAILED) return false;
    sqes_bytes_ = p.sq_entries * sizeof(io_uring_sqe);
    sqes_ = Map(sqes_bytes_, IORING_OFF_SQES);
    if (sqes_ == MAP_FAILED) return false;

    auto* sq = static_cast<char*>(sq_ring_);
    sq_tail_ = reinterpret_cast<unsigned*>(sq + p.sq_off.tail);
    sq_mask_ = *reinterpret_cast<unsigned*>(sq + p.sq_off.ring_mask);
    sq_array_ = reinterpret_cast<unsigned*>(sq + p.sq_off.array);
    auto* cq = static_cast<char*>(cq_ring_);
    cq_head_ = reinterpret_cast<unsigned*>(cq + p.cq_off.head);
    cq_tail_ = reinterpret_cast<unsigned*>(cq + p.cq_off.tail);
    cq_mask_ = *reinterpret_cast<unsigned*>(cq + p.cq_off.ring_mask);
    cqes_ = reinterpret_cast<io_uring_cqe*>(cq + p.cq_off.cqes);
    results_.resize(capacity);  // the kernel's SQ holds at least `capacity`
    tail_ = *sq_tail_;
    return NeverWaits();
  }

  void Recv(int fd, char* data, size_t size) override {
    Prepare(IORING_OP_RECV, fd, data, size, MSG_DONTWAIT);
  }
  void Send(int fd, const char* data, size_t size) override {
    Prepare(IORING_OP_SEND, fd, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
  }

  std::span<const int> Run() override {
    unsigned n = queued_;
    queued_ = 0;
    if (n == 0) return {};
    __atomic_store_n(sq_tail_, tail_, __ATOMIC_RELEASE);
    unsigned submitted = 0;
    // A signal, or a transient shortage (EAGAIN, EBUSY), is retried a
    // bounded number of times; anything else is a refusal.
    for (int tries = 0; submitted < n && tries < 1000; ++tries) {
      long r = syscall(__NR_io_uring_enter, fd_, n - submitted, n - submitted,
                       IORING_ENTER_GETEVENTS, nullptr, 0);
      if (r > 0) {
        submitted += static_cast<unsigned>(r);
      } else if (r < 0 && errno != EINTR && errno != EAGAIN && errno != EBUSY) {
        break;
      }
    }
    if (submitted < n) {
      // The kernel refused the rest: they were never executed, so the
      // caller redoes them with plain calls. The ring is not used again.
      broken_ = true;
      std::fill(results_.begin() + submitted, results_.begin() + n, -ECANCELED);
    }
    for (unsigned done = 0;;) {
      unsigned head = *cq_head_;
      unsigned tail = __atomic_load_n(cq_tail_, __ATOMIC_ACQUIRE);
      for (; head != tail; ++head, ++done) {
        const io_uring_cqe& cqe = cqes_[head & cq_mask_];
        results_[cqe.user_data] = cqe.res;
      }
      __atomic_store_n(cq_head_, head, __ATOMIC_RELEASE);
      if (done >= submitted) break;
      // Completions still to come (an interrupted wait): wait for them.
      syscall(__NR_io_uring_enter, fd_, 0, submitted - done, IORING_ENTER_GETEVENTS, nullptr, 0);
    }
    return {results_.data(), n};
  }

  bool broken() const override { return broken_; }

  void BreakForTesting() override {
    // The descriptor stays open but is no ring: io_uring_enter refuses it.
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0) {
      dup2(null, fd_);
      ::close(null);
    }
  }

 private:
  // Whether a receive with no data completes at once with -EAGAIN, as Run
  // relies on. Kernels that instead park it until data comes (which would
  // stall the loop) are found here: the probe is submitted without waiting,
  // and a parked probe is completed by writing the byte it waits for.
  bool NeverWaits() {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0) return false;
    char byte = 0;
    Recv(sv[0], &byte, 1);
    queued_ = 0;
    __atomic_store_n(sq_tail_, tail_, __ATOMIC_RELEASE);
    bool ok = syscall(__NR_io_uring_enter, fd_, 1, 0, 0, nullptr, 0) == 1;
    int res = 0;
    bool done = ok && Reap(&res);
    if (ok && !done) {
      ssize_t w = ::write(sv[1], "x", 1);
      (void)w;
      syscall(__NR_io_uring_enter, fd_, 0, 1, IORING_ENTER_GETEVENTS, nullptr, 0);
      Reap(&res);
    }
    ::close(sv[0]);
    ::close(sv[1]);
    return done && res == -EAGAIN;
  }

  // Takes one completion, if there is one.
  bool Reap(int* res) {
    unsigned head = *cq_head_;
    if (head == __atomic_load_n(cq_tail_, __ATOMIC_ACQUIRE)) return false;
    *res = cqes_[head & cq_mask_].res;
    __atomic_store_n(cq_head_, head + 1, __ATOMIC_RELEASE);
    return true;
  }

  void* Map(size_t bytes, off_t offset) const {
    return mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd_, offset);
  }

  void Prepare(uint8_t op, int fd, const char* data, size_t size, unsigned flags) {
    unsigned index = tail_ & sq_mask_;
    io_uring_sqe& sqe = static_cast<io_uring_sqe*>(sqes_)[index];
    std::memset(&sqe, 0, sizeof sqe);
    sqe.opcode = op;
    sqe.fd = fd;
    sqe.addr = reinterpret_cast<uintptr_t>(data);
    sqe.len = static_cast<uint32_t>(std::min<size_t>(size, 1u << 30));
    sqe.msg_flags = flags;
    sqe.user_data = queued_++;
    sq_array_[index] = index;
    ++tail_;
  }

  int fd_ = -1;
  void* sq_ring_ = MAP_FAILED;
  void* cq_ring_ = MAP_FAILED;
  void* sqes_ = MAP_FAILED;
  size_t sq_bytes_ = 0;
  size_t cq_bytes_ = 0;
  size_t sqes_bytes_ = 0;
  unsigned* sq_tail_ = nullptr;
  unsigned* sq_array_ = nullptr;
  unsigned sq_mask_ = 0;
  unsigned* cq_head_ = nullptr;
  unsigned* cq_tail_ = nullptr;
  unsigned cq_mask_ = 0;
  io_uring_cqe* cqes_ = nullptr;
  unsigned tail_ = 0;    // the SQ tail, published by Run
  unsigned queued_ = 0;  // operations queued since the last Run
  bool broken_ = false;
  std::vector<int> results_;
};

}  // namespace

std::unique_ptr<IoBatch> IoBatch::Create(unsigned capacity) {
  auto batch = std::make_unique<UringBatch>();
  if (!batch->Init(capacity)) return nullptr;
  return batch;
}

}  // namespace moe::server::internal
