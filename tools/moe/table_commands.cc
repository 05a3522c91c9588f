// moe tables list|create|describe|delete
#include <cstdio>

#include "commands.h"

namespace moe::cli {
namespace {

Result<std::pair<std::string, ScalarAttributeType>> ParseAttr(const std::string& spec) {
  auto colon = spec.rfind(':');
  std::string name = colon == std::string::npos ? spec : spec.substr(0, colon);
  std::string type = colon == std::string::npos ? "S" : spec.substr(colon + 1);
  if (name.empty()) return Error::InvalidArgument("empty attribute name in '" + spec + "'");
  if (type == "S") return std::pair{name, ScalarAttributeType::kS};
  if (type == "N") return std::pair{name, ScalarAttributeType::kN};
  if (type == "B") return std::pair{name, ScalarAttributeType::kB};
  return Error::InvalidArgument("key type must be S, N or B in '" + spec + "'");
}

void AddDefinition(CreateTableRequest& r, const std::pair<std::string, ScalarAttributeType>& a) {
  for (const AttributeDefinition& d : r.attribute_definitions) {
    if (d.attribute_name == a.first) return;
  }
  r.attribute_definitions.push_back({a.first, a.second});
}

struct CreateArgs {
  std::string name, hash, range;
  int64_t rcu = 5, wcu = 5;
  bool on_demand = false, no_wait = false;
  std::vector<std::string> gsis;
};

int Create(const GlobalOptions& g, const CreateArgs& a) {
  CreateTableRequest r{.table_name = a.name};
  auto hash = ParseAttr(a.hash);
  if (!hash) return Fail(hash.error());
  AddDefinition(r, *hash);
  r.key_schema.push_back({hash->first, KeyType::kHash});
  if (!a.range.empty()) {
    auto range = ParseAttr(a.range);
    if (!range) return Fail(range.error());
    AddDefinition(r, *range);
    r.key_schema.push_back({range->first, KeyType::kRange});
  }
  if (a.on_demand) {
    r.billing_mode = BillingMode::kPayPerRequest;
  } else {
    r.provisioned_throughput = ProvisionedThroughput{a.rcu, a.wcu};
  }
  for (const std::string& spec : a.gsis) {
    // NAME=HASH:T[,RANGE:T]
    auto eq = spec.find('=');
    if (eq == std::string::npos)
      return Fail(Error::InvalidArgument("--gsi wants NAME=HASH:T[,RANGE:T]"));
    GlobalSecondaryIndex gsi{.index_name = spec.substr(0, eq)};
    std::string keys = spec.substr(eq + 1);
    auto comma = keys.find(',');
    for (const std::string& part :
         {keys.substr(0, comma), comma == std::string::npos ? "" : keys.substr(comma + 1)}) {
      if (part.empty()) continue;
      auto attr = ParseAttr(part);
      if (!attr) return Fail(attr.error());
      AddDefinition(r, *attr);
      gsi.key_schema.push_back(
          {attr->first, gsi.key_schema.empty() ? KeyType::kHash : KeyType::kRange});
    }
    if (!a.on_demand) gsi.provisioned_throughput = ProvisionedThroughput{a.rcu, a.wcu};
    r.global_secondary_indexes.push_back(std::move(gsi));
  }
  auto client = MakeClient(g);
  if (!client) return Fail(client.error());
  auto created = (*client)->CreateTable(r);
  if (!created) return Fail(created.error());
  if (a.no_wait) {
    std::puts(ToJson(*created).c_str());
    return 0;
  }
  auto active = (*client)->WaitUntilActive(a.name);
  if (!active) return Fail(active.error());
  std::puts(ToJson(DescribeTableResponse{*active}).c_str());
  return 0;
}

}  // namespace

void RegisterTableCommands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* tables = app.add_subcommand("tables", "List, create, describe and delete tables");
  tables->require_subcommand(1);

  tables->add_subcommand("list", "List table names (all pages)")->callback([&] {
    auto client = MakeClient(g);
    if (!client) {
      exit_code = Fail(client.error());
      return;
    }
    std::string out = "[";
    for (auto& page : (*client)->ListTablesPages()) {
      if (!page) {
        exit_code = Fail(page.error());
        return;
      }
      for (const std::string& name : page->table_names) {
        if (out.size() > 1) out += ",";
        out += "\"" + name + "\"";
      }
    }
    std::puts((out + "]").c_str());
  });

  auto create_args = std::make_shared<CreateArgs>();
  CLI::App* create = tables->add_subcommand("create", "Create a table and wait until it is ACTIVE");
  create->add_option("name", create_args->name, "Table name")->required();
  create->add_option("--hash", create_args->hash, "Hash key as NAME:TYPE (TYPE is S, N or B)")
      ->required();
  create->add_option("--range", create_args->range, "Range key as NAME:TYPE");
  create->add_option("--rcu", create_args->rcu, "Provisioned read capacity units (default 5)");
  create->add_option("--wcu", create_args->wcu, "Provisioned write capacity units (default 5)");
  create->add_flag("--on-demand", create_args->on_demand, "PAY_PER_REQUEST billing");
  create->add_option("--gsi", create_args->gsis, "Global secondary index NAME=HASH:T[,RANGE:T]");
  create->add_flag("--no-wait", create_args->no_wait, "Return while the table is still CREATING");
  create->callback([&, create_args] { exit_code = Create(g, *create_args); });

  auto name = std::make_shared<std::string>();
  CLI::App* describe = tables->add_subcommand("describe", "Describe a table");
  describe->add_option("name", *name, "Table name")->required();
  describe->callback([&, name] {
    auto client = MakeClient(g);
    if (!client) {
      exit_code = Fail(client.error());
      return;
    }
    auto d = (*client)->DescribeTable({.table_name = *name});
    if (!d) {
      exit_code = Fail(d.error());
      return;
    }
    std::puts(ToJson(*d).c_str());
  });

  auto del_name = std::make_shared<std::string>();
  auto del_no_wait = std::make_shared<bool>(false);
  CLI::App* del = tables->add_subcommand("delete", "Delete a table and wait until it is gone");
  del->add_option("name", *del_name, "Table name")->required();
  del->add_flag("--no-wait", *del_no_wait, "Return while the table is still DELETING");
  del->callback([&, del_name, del_no_wait] {
    auto client = MakeClient(g);
    if (!client) {
      exit_code = Fail(client.error());
      return;
    }
    auto d = (*client)->DeleteTable({.table_name = *del_name});
    if (!d) {
      exit_code = Fail(d.error());
      return;
    }
    if (!*del_no_wait) {
      if (Status s = (*client)->WaitUntilDeleted(*del_name); !s) {
        exit_code = Fail(s.error());
        return;
      }
    }
    std::puts(ToJson(*d).c_str());
  });
}

}  // namespace moe::cli
