// moe put|get|delete|update|query|scan
#include <cstdio>

#include "commands.h"

namespace moe::cli {
namespace {

struct ItemArgs {
  std::string table, item, condition, update, names, values, projection, key_condition, filter,
      index, return_values = "NONE";
  bool consistent = false, descending = false, count = false;
  int limit = 0, segments = 1;
};

// Fills names/values from the arguments.
Status ApplyPlaceholders(const GlobalOptions& g, const ItemArgs& a, ExpressionNames* names,
                         ExpressionValues* values) {
  MOE_TRY(*names, ParseNames(a.names));
  if (values != nullptr) {
    MOE_TRY(*values, ParseValues(g, a.values));
  }
  return Ok();
}

Result<ReturnValue> ParseReturnValues(const std::string& s) {
  if (s == "NONE") return ReturnValue::kNone;
  if (s == "ALL_OLD") return ReturnValue::kAllOld;
  if (s == "UPDATED_OLD") return ReturnValue::kUpdatedOld;
  if (s == "ALL_NEW") return ReturnValue::kAllNew;
  if (s == "UPDATED_NEW") return ReturnValue::kUpdatedNew;
  return Error::InvalidArgument(
      "--return must be NONE, ALL_OLD, UPDATED_OLD, ALL_NEW or UPDATED_NEW");
}

std::optional<std::string> Opt(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

void PrintAttributes(const GlobalOptions& g, const std::optional<Item>& attributes) {
  if (attributes) std::puts(FormatItem(g, *attributes).c_str());
}

int Get(const GlobalOptions& g, const ItemArgs& a, DynamoDbClient& c) {
  GetItemRequest r{.table_name = a.table, .consistent_read = a.consistent};
  auto key = ParseItem(g, a.item);
  if (!key) return Fail(key.error());
  r.key = std::move(*key);
  r.projection_expression = Opt(a.projection);
  if (Status s = ApplyPlaceholders(g, a, &r.expression_attribute_names, nullptr); !s)
    return Fail(s.error());
  auto out = c.GetItem(r);
  if (!out) return Fail(out.error());
  std::puts(out->item ? FormatItem(g, *out->item).c_str() : "null");
  return 0;
}

// Put, Delete and Update share their shape: an item or key, an optional
// condition, placeholders, ReturnValues; `Member` points at the request's
// item or key field.
template <typename Request>
int Write(const GlobalOptions& g, const ItemArgs& a, Item Request::*member, Request r,
          Result<typename Request::Response> (DynamoDbClient::*call)(const Request&),
          DynamoDbClient& c) {
  r.table_name = a.table;
  auto item = ParseItem(g, a.item);
  if (!item) return Fail(item.error());
  r.*member = std::move(*item);
  r.condition_expression = Opt(a.condition);
  Status s = ApplyPlaceholders(g, a, &r.expression_attribute_names, &r.expression_attribute_values);
  if (!s) return Fail(s.error());
  auto rv = ParseReturnValues(a.return_values);
  if (!rv) return Fail(rv.error());
  r.return_values = *rv;
  auto out = (c.*call)(r);
  if (!out) return Fail(out.error());
  PrintAttributes(g, out->attributes);
  return 0;
}

int Put(const GlobalOptions& g, const ItemArgs& a, DynamoDbClient& c) {
  return Write(g, a, &PutItemRequest::item, PutItemRequest{}, &DynamoDbClient::PutItem, c);
}

int Delete(const GlobalOptions& g, const ItemArgs& a, DynamoDbClient& c) {
  return Write(g, a, &DeleteItemRequest::key, DeleteItemRequest{}, &DynamoDbClient::DeleteItem, c);
}

int Update(const GlobalOptions& g, const ItemArgs& a, DynamoDbClient& c) {
  UpdateItemRequest r;
  r.update_expression = Opt(a.update);
  return Write(g, a, &UpdateItemRequest::key, std::move(r), &DynamoDbClient::UpdateItem, c);
}

// Prints items as JSON lines; with --count prints the total count only.
int Query(const GlobalOptions& g, const ItemArgs& a, DynamoDbClient& c) {
  QueryRequest r{.table_name = a.table};
  r.index_name = Opt(a.index);
  r.key_condition_expression = Opt(a.key_condition);
  r.filter_expression = Opt(a.filter);
  r.projection_expression = Opt(a.projection);
  r.scan_index_forward = !a.descending;
  r.consistent_read = a.consistent;
  if (a.count) r.select = Select::kCount;
  if (Status s =
          ApplyPlaceholders(g, a, &r.expression_attribute_names, &r.expression_attribute_values);
      !s)
    return Fail(s.error());
  int64_t printed = 0, counted = 0;
  for (auto& page : c.QueryPages(r)) {
    if (!page) return Fail(page.error());
    counted += page->count;
    for (const Item& item : page->items) {
      if (a.limit > 0 && printed >= a.limit) return 0;
      std::puts(FormatItem(g, item).c_str());
      ++printed;
    }
    if (a.limit > 0 && printed >= a.limit) break;
  }
  if (a.count) std::printf("%lld\n", static_cast<long long>(counted));
  return 0;
}

int Scan(const GlobalOptions& g, const ItemArgs& a, DynamoDbClient& c) {
  ScanRequest r{.table_name = a.table};
  r.index_name = Opt(a.index);
  r.filter_expression = Opt(a.filter);
  r.projection_expression = Opt(a.projection);
  r.consistent_read = a.consistent;
  if (a.count) r.select = Select::kCount;
  if (Status s =
          ApplyPlaceholders(g, a, &r.expression_attribute_names, &r.expression_attribute_values);
      !s)
    return Fail(s.error());
  int64_t counted = 0;
  Status s = c.ParallelScan(r, std::max(1, a.segments), [&](int, ScanResponse& page) -> Status {
    counted += page.count;
    if (!a.count) {
      for (const Item& item : page.items) std::puts(FormatItem(g, item).c_str());
    }
    return Ok();
  });
  if (!s) return Fail(s.error());
  if (a.count) std::printf("%lld\n", static_cast<long long>(counted));
  return 0;
}

using Runner = int (*)(const GlobalOptions&, const ItemArgs&, DynamoDbClient&);

CLI::App* Add(CLI::App& app, GlobalOptions& g, int& exit_code, const char* name, const char* help,
              Runner run, std::shared_ptr<ItemArgs> a) {
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->add_option("table", a->table, "Table name")->required();
  cmd->callback([&g, &exit_code, run, a] {
    auto client = MakeClient(g);
    exit_code = client ? run(g, *a, **client) : Fail(client.error());
  });
  return cmd;
}

}  // namespace

void RegisterItemCommands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  auto a = std::make_shared<ItemArgs>();
  auto common = [&](CLI::App* cmd, bool values) {
    cmd->add_option("--names", a->names, R"(ExpressionAttributeNames as JSON, e.g. {"#n":"name"})");
    if (values)
      cmd->add_option("--values", a->values, R"(ExpressionAttributeValues as JSON, e.g. {":v":1})");
  };
  CLI::App* put = Add(app, g, exit_code, "put", "Put one item", Put, a);
  put->add_option("item", a->item, "The item as JSON")->required();
  put->add_option("--condition", a->condition, "ConditionExpression");
  put->add_option("--return", a->return_values, "ReturnValues: NONE or ALL_OLD");
  common(put, true);

  CLI::App* get =
      Add(app, g, exit_code, "get", "Get one item by key (prints null when absent)", Get, a);
  get->add_option("key", a->item, "The key as JSON")->required();
  get->add_flag("--consistent", a->consistent, "Strongly consistent read");
  get->add_option("--projection", a->projection, "ProjectionExpression");
  common(get, false);

  CLI::App* del = Add(app, g, exit_code, "delete", "Delete one item by key", Delete, a);
  del->add_option("key", a->item, "The key as JSON")->required();
  del->add_option("--condition", a->condition, "ConditionExpression");
  del->add_option("--return", a->return_values, "ReturnValues: NONE or ALL_OLD");
  common(del, true);

  CLI::App* update =
      Add(app, g, exit_code, "update", "Update one item with an UpdateExpression", Update, a);
  update->add_option("key", a->item, "The key as JSON")->required();
  update->add_option("--update", a->update, "UpdateExpression, e.g. 'SET #n = #n + :one'")
      ->required();
  update->add_option("--condition", a->condition, "ConditionExpression");
  update->add_option("--return", a->return_values, "ReturnValues (default NONE)");
  common(update, true);

  CLI::App* query =
      Add(app, g, exit_code, "query", "Query (all pages; items as JSON lines)", Query, a);
  query->add_option("--key-condition", a->key_condition, "KeyConditionExpression")->required();
  query->add_option("--filter", a->filter, "FilterExpression");
  query->add_option("--projection", a->projection, "ProjectionExpression");
  query->add_option("--index", a->index, "Index name");
  query->add_option("--limit", a->limit, "Stop after this many items");
  query->add_flag("--desc", a->descending, "Descending sort-key order");
  query->add_flag("--consistent", a->consistent, "Strongly consistent read");
  query->add_flag("--count", a->count, "Print only the number of matching items");
  common(query, true);

  CLI::App* scan = Add(app, g, exit_code, "scan", "Scan (all pages; items as JSON lines)", Scan, a);
  scan->add_option("--filter", a->filter, "FilterExpression");
  scan->add_option("--projection", a->projection, "ProjectionExpression");
  scan->add_option("--index", a->index, "Index name");
  scan->add_option("--segments", a->segments, "Parallel scan over this many segments");
  scan->add_flag("--consistent", a->consistent, "Strongly consistent read");
  scan->add_flag("--count", a->count, "Print only the number of items");
  common(scan, true);
}

}  // namespace moe::cli
