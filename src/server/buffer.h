// A growable byte buffer with a consumed prefix, for socket input and output:
// reads land at the end without zero-filling, parsed requests are consumed
// from the front, and the memory is reused across requests.
//
// Thread safety: not thread-safe; each buffer belongs to one connection.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace moe::server::internal {

class Buffer {
 public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  const char* data() const { return data_.get() + begin_; }
  size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  size_t capacity() const { return capacity_; }
  std::string_view view() const { return {data(), size()}; }

  // At least `n` writable bytes after the data; may move or reallocate, which
  // invalidates pointers and views into the buffer.
  char* PrepareWrite(size_t n) {
    if (capacity_ - end_ < n) Make(n);
    return data_.get() + end_;
  }
  void Commit(size_t n) { end_ += n; }
  void Append(std::string_view s) {
    if (s.empty()) return;
    std::memcpy(PrepareWrite(s.size()), s.data(), s.size());
    end_ += s.size();
  }
  void Consume(size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  void Clear() { begin_ = end_ = 0; }
  // Frees the memory when the buffer is empty and larger than `keep`.
  void ShrinkIfEmpty(size_t keep) {
    if (empty() && capacity_ > keep) {
      data_.reset();
      capacity_ = 0;
    }
  }

 private:
  void Make(size_t n) {
    size_t used = size();
    if (capacity_ - used >= n && begin_ > 0) {
      std::memmove(data_.get(), data(), used);
    } else {
      size_t cap = std::max({capacity_ * 2, used + n, size_t{4096}});
      std::unique_ptr<char[]> fresh(new char[cap]);
      if (used > 0) std::memcpy(fresh.get(), data(), used);
      data_ = std::move(fresh);
      capacity_ = cap;
    }
    begin_ = 0;
    end_ = used;
  }

  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace moe::server::internal
