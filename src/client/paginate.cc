// Paginators, parallel scan and waiters: loops over the typed calls.
#include <atomic>
#include <condition_variable>
#include <mutex>

#include "moe/client.h"

namespace moe {

Pages<QueryResponse> DynamoDbClient::QueryPages(QueryRequest request) {
  return Pages<QueryResponse>(
      [this, request = std::move(request)](bool) mutable -> Result<QueryResponse> {
        MOE_TRY(QueryResponse page, Query(request));
        request.exclusive_start_key = page.last_evaluated_key;
        return page;
      });
}

Pages<ScanResponse> DynamoDbClient::ScanPages(ScanRequest request) {
  return Pages<ScanResponse>(
      [this, request = std::move(request)](bool) mutable -> Result<ScanResponse> {
        MOE_TRY(ScanResponse page, Scan(request));
        request.exclusive_start_key = page.last_evaluated_key;
        return page;
      });
}

Pages<ListTablesResponse> DynamoDbClient::ListTablesPages(ListTablesRequest request) {
  return Pages<ListTablesResponse>(
      [this, request = std::move(request)](bool) mutable -> Result<ListTablesResponse> {
        MOE_TRY(ListTablesResponse page, ListTables(request));
        request.exclusive_start_table_name = page.last_evaluated_table_name;
        return page;
      });
}

namespace {

// Shared state of one parallel scan: each segment walks its pages with async
// calls; the first error stops every segment.
struct ParallelScanState {
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;
  std::optional<Error> error;
  const std::function<Status(int, ScanResponse&)>* on_page = nullptr;
};

void ScanSegment(DynamoDbClient* client, std::shared_ptr<ParallelScanState> state,
                 ScanRequest request) {
  auto next = [client, state, request](Result<ScanResponse> page) mutable {
    std::unique_lock lock(state->mu);
    bool more = false;
    if (state->error) {
      // Another segment failed: stop here.
    } else if (!page) {
      state->error = std::move(page).error();
    } else if (Status s = (*state->on_page)(*request.segment, *page); !s) {
      state->error = std::move(s).error();
    } else if (page->last_evaluated_key) {
      request.exclusive_start_key = std::move(page->last_evaluated_key);
      more = true;
    }
    if (more) {
      lock.unlock();
      ScanSegment(client, state, std::move(request));
      return;
    }
    if (--state->running == 0) state->cv.notify_all();
  };
  client->CallAsync(request, std::move(next));
}

}  // namespace

Status DynamoDbClient::ParallelScan(ScanRequest request, int total_segments,
                                    const std::function<Status(int, ScanResponse&)>& on_page) {
  if (total_segments < 1 || total_segments > 1000000) {
    return Error::InvalidArgument("total_segments must be between 1 and 1000000");
  }
  auto state = std::make_shared<ParallelScanState>();
  state->on_page = &on_page;
  state->running = total_segments;
  for (int segment = 0; segment < total_segments; ++segment) {
    ScanRequest r = request;
    r.segment = segment;
    r.total_segments = total_segments;
    r.exclusive_start_key.reset();
    ScanSegment(this, state, std::move(r));
  }
  std::unique_lock lock(state->mu);
  state->cv.wait(lock, [&] { return state->running == 0; });
  if (state->error) return std::move(*state->error);
  return Ok();
}

namespace {

bool AllActive(const TableDescription& t) {
  if (t.table_status != TableStatus::kActive) return false;
  for (const IndexDescription& gsi : t.global_secondary_indexes) {
    if (gsi.index_status && *gsi.index_status != IndexStatus::kActive) return false;
  }
  return true;
}

}  // namespace

Result<TableDescription> DynamoDbClient::WaitUntilActive(const std::string& table,
                                                         std::chrono::milliseconds timeout,
                                                         std::chrono::milliseconds poll) {
  Clock& c = clock();
  const Clock::Duration deadline = c.Monotonic() + timeout;
  for (;;) {
    MOE_TRY(DescribeTableResponse d, DescribeTable({.table_name = table}));
    if (AllActive(d.table)) return std::move(d.table);
    if (c.Monotonic() >= deadline) {
      return Error(ErrorCode::kTimeout, "table " + table +
                                            " did not become ACTIVE in time (status " +
                                            std::string(ToString(d.table.table_status)) + ")");
    }
    c.SleepFor(poll);
  }
}

Status DynamoDbClient::WaitUntilDeleted(const std::string& table, std::chrono::milliseconds timeout,
                                        std::chrono::milliseconds poll) {
  Clock& c = clock();
  const Clock::Duration deadline = c.Monotonic() + timeout;
  for (;;) {
    auto d = DescribeTable({.table_name = table});
    if (!d) {
      if (d.error().code() == ErrorCode::kResourceNotFound) return Ok();
      return std::move(d).error();
    }
    if (c.Monotonic() >= deadline) {
      return Error(ErrorCode::kTimeout, "table " + table + " was not deleted in time");
    }
    c.SleepFor(poll);
  }
}

}  // namespace moe
