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

Status DynamoDbClient::ParallelScan(ScanRequest request, int total_segments,
                                    const std::function<Status(int, ScanResponse&)>& on_page) {
  if (total_segments < 1 || total_segments > 1000000) {
    return Error::InvalidArgument("total_segments must be between 1 and 1000000");
  }
  // Pages arrive on the transport's thread (or inline, for in-process
  // transports) and are handed to this thread, which runs on_page and issues
  // each segment's next request: no recursion, however many pages.
  struct Arrival {
    int segment;
    Result<ScanResponse> page;
  };
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<Arrival> arrivals;
  };
  auto shared = std::make_shared<Shared>();
  std::vector<ScanRequest> segments(static_cast<size_t>(total_segments), request);
  auto issue = [&](int segment) {
    CallAsync(segments[static_cast<size_t>(segment)], [shared, segment](Result<ScanResponse> page) {
      std::lock_guard lock(shared->mu);
      shared->arrivals.push_back({segment, std::move(page)});
      shared->cv.notify_one();
    });
  };
  for (int segment = 0; segment < total_segments; ++segment) {
    ScanRequest& r = segments[static_cast<size_t>(segment)];
    r.segment = segment;
    r.total_segments = total_segments;
    r.exclusive_start_key.reset();
    issue(segment);
  }
  int outstanding = total_segments;
  std::optional<Error> error;
  while (outstanding > 0) {
    std::vector<Arrival> arrived;
    {
      std::unique_lock lock(shared->mu);
      shared->cv.wait(lock, [&] { return !shared->arrivals.empty(); });
      arrived.swap(shared->arrivals);
    }
    for (Arrival& a : arrived) {
      --outstanding;
      if (error) continue;  // drain what is in flight after a failure
      if (!a.page) {
        error = std::move(a.page).error();
        continue;
      }
      if (Status s = on_page(a.segment, *a.page); !s) {
        error = std::move(s).error();
        continue;
      }
      if (a.page->last_evaluated_key) {
        segments[static_cast<size_t>(a.segment)].exclusive_start_key =
            std::move(a.page->last_evaluated_key);
        ++outstanding;
        issue(a.segment);
      }
    }
  }
  if (error) return std::move(*error);
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
