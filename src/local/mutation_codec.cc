// The encoding of Mutations in the write-ahead log's group records.

#include "local/mutation_codec.h"

#include <bit>

#include "moe/json.h"
#include "wal/record.h"

namespace moe::local {

namespace {

using wal::GetString;
using wal::GetU64;
using wal::PutString;
using wal::PutU64;

Error Malformed(std::string_view what) {
  return Error(ErrorCode::kIo, "malformed log record: " + std::string(what));
}

}  // namespace

// Mutation: [u8 kind][str table] then by kind
//   kPutItem, kDeleteItem: [str item as DynamoDB JSON]
//   kCreateTable: [str CreateTableRequest JSON][str table_id][u64 bits of created]
//   kDeleteTable: nothing
//   kUpdateTable: [str UpdateTableRequest JSON]
//   kUpdateTimeToLive: [u8 enabled][str attribute name]
// str = [u32 size][bytes].
void EncodeMutation(const Mutation& m, std::string& out) {
  out.push_back(static_cast<char>(m.kind));
  PutString(m.table, out);
  switch (m.kind) {
    case Mutation::Kind::kPutItem:
    case Mutation::Kind::kDeleteItem:
      PutString(ToDynamoJson(m.item), out);
      return;
    case Mutation::Kind::kCreateTable:
      PutString(ToJson(*m.create_table), out);
      PutString(m.table_id, out);
      PutU64(std::bit_cast<uint64_t>(m.created), out);
      return;
    case Mutation::Kind::kDeleteTable:
      return;
    case Mutation::Kind::kUpdateTable:
      PutString(ToJson(*m.update_table), out);
      return;
    case Mutation::Kind::kUpdateTimeToLive:
      out.push_back(m.ttl->enabled ? 1 : 0);
      PutString(m.ttl->attribute_name, out);
      return;
  }
}

Result<Mutation> DecodeMutation(std::string_view& in) {
  if (in.empty()) return Malformed("empty mutation");
  Mutation m;
  auto kind = static_cast<uint8_t>(in[0]);
  if (kind > static_cast<uint8_t>(Mutation::Kind::kUpdateTimeToLive)) return Malformed("kind");
  m.kind = static_cast<Mutation::Kind>(kind);
  in.remove_prefix(1);
  std::string_view table, body;
  if (!GetString(in, &table)) return Malformed("table name");
  m.table = std::string(table);
  switch (m.kind) {
    case Mutation::Kind::kPutItem:
    case Mutation::Kind::kDeleteItem: {
      if (!GetString(in, &body)) return Malformed("item");
      auto item = ParseDynamoJson(body);
      if (!item) return Malformed("item: " + item.error().message());
      m.item = std::move(item).value();
      break;
    }
    case Mutation::Kind::kCreateTable: {
      std::string_view id;
      uint64_t created;
      if (!GetString(in, &body) || !GetString(in, &id) || !GetU64(in, &created)) {
        return Malformed("create table");
      }
      auto req = Parse<CreateTableRequest>(body);
      if (!req) return Malformed("create table: " + req.error().message());
      m.create_table = std::move(req).value();
      m.table_id = std::string(id);
      m.created = std::bit_cast<double>(created);
      break;
    }
    case Mutation::Kind::kDeleteTable:
      break;
    case Mutation::Kind::kUpdateTable: {
      if (!GetString(in, &body)) return Malformed("update table");
      auto req = Parse<UpdateTableRequest>(body);
      if (!req) return Malformed("update table: " + req.error().message());
      m.update_table = std::move(req).value();
      break;
    }
    case Mutation::Kind::kUpdateTimeToLive: {
      if (in.empty()) return Malformed("ttl");
      TimeToLiveSpecification ttl;
      ttl.enabled = in[0] != 0;
      in.remove_prefix(1);
      if (!GetString(in, &body)) return Malformed("ttl attribute");
      ttl.attribute_name = std::string(body);
      m.ttl = std::move(ttl);
      break;
    }
  }
  return m;
}

}  // namespace moe::local
