"""The AWS CLI (`aws dynamodb ...`, v1 or v2) against `moe serve`."""

import json
import os
import subprocess
import tempfile
import unittest
import uuid

import harness

# Service errors: aws v2 exits with 254, v1 with 255.
_SERVICE_ERROR_EXIT_CODES = (254, 255)


def _unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _key(pk, sk):
    return json.dumps({"pk": {"S": pk}, "sk": {"N": str(sk)}})


class AwsCliBase(unittest.TestCase):
    server_args = ()

    @classmethod
    def setUpClass(cls):
        if not harness.AWS_CLI:
            raise unittest.SkipTest("the AWS CLI is not installed")
        cls.server = harness.MoeServer(cls.server_args).start()
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def run_aws(self, *args, env=None):
        command = [harness.AWS_CLI, "dynamodb", *args, "--endpoint-url", self.server.endpoint,
                   "--output", "json"]
        return subprocess.run(command, env={**os.environ, **(env or {})}, capture_output=True,
                              text=True, timeout=300)

    def aws(self, *args, env=None):
        """Runs `aws dynamodb ARGS` and returns its parsed JSON output (None if empty)."""
        done = self.run_aws(*args, env=env)
        self.assertEqual(done.returncode, 0, f"aws {' '.join(args[:2])}: {done.stderr}")
        return json.loads(done.stdout) if done.stdout.strip() else None

    def aws_error(self, error_name, *args, env=None):
        """Runs a command that must fail with `error_name`; returns its stderr."""
        done = self.run_aws(*args, env=env)
        self.assertIn(done.returncode, _SERVICE_ERROR_EXIT_CODES, done.stderr)
        self.assertIn(f"({error_name})", done.stderr)
        return done.stderr

    def json_file(self, value):
        """Writes `value` as JSON to a file and returns its file:// argument (for big inputs)."""
        fd, path = tempfile.mkstemp(suffix=".json", dir=self.tmp.name)
        with os.fdopen(fd, "w") as f:
            json.dump(value, f)
        return "file://" + path

    def create_table(self, prefix, with_gsi=True, provisioned=False):
        name = _unique(prefix)
        attributes = "AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=N"
        args = ["create-table", "--table-name", name,
                "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE"]
        gsi = {"IndexName": "by_kind",
               "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"},
                             {"AttributeName": "sk", "KeyType": "RANGE"}],
               "Projection": {"ProjectionType": "ALL"}}
        if provisioned:
            args += ["--billing-mode", "PROVISIONED",
                     "--provisioned-throughput", "ReadCapacityUnits=5,WriteCapacityUnits=7"]
            gsi["ProvisionedThroughput"] = {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}
        else:
            args += ["--billing-mode", "PAY_PER_REQUEST"]
        if with_gsi:
            attributes += " AttributeName=kind,AttributeType=S"
            args += ["--global-secondary-indexes", json.dumps([gsi])]
        args += ["--attribute-definitions", *attributes.split()]
        created = self.aws(*args)["TableDescription"]
        self.assertEqual(created["TableName"], name)
        self.aws("wait", "table-exists", "--table-name", name)
        return name

    def batch_put(self, table, items):
        """batch-write-item in chunks of 25 (items in DynamoDB JSON), retrying unprocessed."""
        for start in range(0, len(items), 25):
            request = {table: [{"PutRequest": {"Item": i}} for i in items[start:start + 25]]}
            while request:
                out = self.aws("batch-write-item", "--request-items", self.json_file(request))
                request = out.get("UnprocessedItems")


class AwsCliTest(AwsCliBase):

    def test_table_lifecycle(self):
        on_demand = self.create_table("cli-ondemand")
        provisioned = self.create_table("cli-provisioned", provisioned=True)
        table = self.aws("describe-table", "--table-name", on_demand)["Table"]
        self.assertEqual(table["TableStatus"], "ACTIVE")
        self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(table["GlobalSecondaryIndexes"][0]["IndexName"], "by_kind")
        table = self.aws("describe-table", "--table-name", provisioned)["Table"]
        self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.assertEqual(table["ProvisionedThroughput"]["WriteCapacityUnits"], 7)
        gsi = table["GlobalSecondaryIndexes"][0]
        self.assertEqual(gsi["ProvisionedThroughput"]["WriteCapacityUnits"], 4)
        # Auto-pagination over one-table pages merges every page.
        names = self.aws("list-tables", "--page-size", "1")["TableNames"]
        self.assertIn(on_demand, names)
        self.assertIn(provisioned, names)
        for name in (on_demand, provisioned):
            deleted = self.aws("delete-table", "--table-name", name)["TableDescription"]
            self.assertEqual(deleted["TableName"], name)
            self.aws("wait", "table-not-exists", "--table-name", name)
        names = self.aws("list-tables")["TableNames"]
        self.assertNotIn(on_demand, names)
        self.assertNotIn(provisioned, names)

    def test_item_crud_and_update_expression(self):
        name = self.create_table("cli-crud")
        item = {"pk": {"S": "user#1"}, "sk": {"N": "1"}, "name": {"S": "Ann"},
                "score": {"N": "10"}, "old": {"S": "remove me"}, "tags": {"NS": ["1"]}}
        self.aws("put-item", "--table-name", name, "--item", json.dumps(item))
        got = self.aws("get-item", "--table-name", name, "--key", _key("user#1", 1),
                       "--consistent-read")["Item"]
        self.assertEqual(got, item)
        new = self.aws(
            "update-item", "--table-name", name, "--key", _key("user#1", 1),
            "--update-expression",
            "SET #score = #score - :one, #visits = if_not_exists(#visits, :zero) + :one, "
            "#name = :name REMOVE #old ADD #tags :more",
            "--condition-expression", "attribute_exists(pk) AND #score >= :min",
            "--expression-attribute-names", json.dumps(
                {"#score": "score", "#visits": "visits", "#name": "name", "#old": "old",
                 "#tags": "tags"}),
            "--expression-attribute-values", json.dumps(
                {":one": {"N": "1"}, ":zero": {"N": "0"}, ":name": {"S": "Bea"},
                 ":min": {"N": "5"}, ":more": {"NS": ["2", "3"]}}),
            "--return-values", "ALL_NEW")["Attributes"]
        self.assertEqual(new["score"], {"N": "9"})
        self.assertEqual(new["visits"], {"N": "1"})
        self.assertEqual(new["name"], {"S": "Bea"})
        self.assertNotIn("old", new)
        self.assertEqual(sorted(new["tags"]["NS"]), ["1", "2", "3"])
        old = self.aws("delete-item", "--table-name", name, "--key", _key("user#1", 1),
                       "--return-values", "ALL_OLD")["Attributes"]
        self.assertEqual(old["name"], {"S": "Bea"})
        got = self.aws("get-item", "--table-name", name, "--key", _key("user#1", 1),
                       "--consistent-read")
        self.assertNotIn("Item", got or {})

    def test_conditional_check_failed(self):
        name = self.create_table("cli-cond", with_gsi=False)
        item = json.dumps({"pk": {"S": "a"}, "sk": {"N": "1"}})
        self.aws("put-item", "--table-name", name, "--item", item)
        stderr = self.aws_error("ConditionalCheckFailedException", "put-item", "--table-name",
                                name, "--item", item,
                                "--condition-expression", "attribute_not_exists(pk)")
        self.assertIn("PutItem", stderr)

    def test_query_scan_and_gsi(self):
        name = self.create_table("cli-query")
        self.batch_put(name, [{"pk": {"S": "p"}, "sk": {"N": str(i)},
                               "kind": {"S": "even" if i % 2 == 0 else "odd"},
                               "v": {"N": str(i * 10)}} for i in range(30)])
        query = ["query", "--table-name", name,
                 "--key-condition-expression", "pk = :p AND sk >= :from",
                 "--expression-attribute-values",
                 json.dumps({":p": {"S": "p"}, ":from": {"N": "5"}}), "--no-scan-index-forward"]
        # --page-size sends Limit on each call; the CLI fetches and merges every page.
        everything = self.aws(*query, "--page-size", "4")
        self.assertEqual([int(i["sk"]["N"]) for i in everything["Items"]],
                         list(range(29, 4, -1)))
        self.assertEqual(everything["Count"], 25)
        # --limit (an API parameter) turns auto-pagination off: one page and the key to go on.
        for extra in ((), ("--no-paginate",)):
            page = self.aws(*query, "--limit", "4", *extra)
            self.assertEqual([int(i["sk"]["N"]) for i in page["Items"]], [29, 28, 27, 26])
            self.assertEqual(page["LastEvaluatedKey"], json.loads(_key("p", 26)))
        # --max-items stops early and hands back a NextToken; --starting-token resumes.
        first = self.aws(*query, "--max-items", "3", "--page-size", "2")
        self.assertEqual([int(i["sk"]["N"]) for i in first["Items"]], [29, 28, 27])
        rest = self.aws(*query, "--max-items", "3", "--page-size", "2",
                        "--starting-token", first["NextToken"])
        self.assertEqual([int(i["sk"]["N"]) for i in rest["Items"]], [26, 25, 24])
        gsi = self.aws("query", "--table-name", name, "--index-name", "by_kind",
                       "--key-condition-expression", "kind = :k",
                       "--expression-attribute-values", json.dumps({":k": {"S": "odd"}}))
        self.assertEqual([int(i["sk"]["N"]) for i in gsi["Items"]], list(range(1, 30, 2)))
        scan = self.aws("scan", "--table-name", name, "--filter-expression", "v BETWEEN :a AND :b",
                        "--expression-attribute-values",
                        json.dumps({":a": {"N": "100"}, ":b": {"N": "130"}}), "--page-size", "7")
        self.assertEqual(sorted(int(i["sk"]["N"]) for i in scan["Items"]), [10, 11, 12, 13])
        self.assertEqual(scan["ScannedCount"], 30)

    def test_auto_pagination_over_one_megabyte(self):
        name = self.create_table("cli-big", with_gsi=False)
        blob = "y" * 300_000
        self.batch_put(name, [{"pk": {"S": "big"}, "sk": {"N": str(i)}, "blob": {"S": blob}}
                              for i in range(6)])  # ~1.8 MB: at least two 1 MB pages
        query = ["query", "--table-name", name, "--key-condition-expression", "pk = :p",
                 "--expression-attribute-values", json.dumps({":p": {"S": "big"}})]
        one_page = self.aws(*query, "--no-paginate")
        self.assertLess(one_page["Count"], 6)
        self.assertIn("LastEvaluatedKey", one_page)
        everything = self.aws(*query)
        self.assertEqual(everything["Count"], 6)
        self.assertEqual([int(i["sk"]["N"]) for i in everything["Items"]], list(range(6)))
        self.assertTrue(all(i["blob"]["S"] == blob for i in everything["Items"]))
        self.assertEqual(self.aws("scan", "--table-name", name, "--select", "COUNT")["Count"], 6)

    def test_batch_write_and_batch_get(self):
        name = self.create_table("cli-batch", with_gsi=False)
        self.batch_put(name, [{"pk": {"S": f"k{i % 5}"}, "sk": {"N": str(i)}, "v": {"S": "x" * i}}
                              for i in range(60)])
        keys = [json.loads(_key(f"k{i % 5}", i)) for i in range(60)]
        found = []
        request = {name: {"Keys": keys[:50], "ConsistentRead": True,
                          "ProjectionExpression": "sk"}}
        while request:
            out = self.aws("batch-get-item", "--request-items", self.json_file(request))
            found += [int(i["sk"]["N"]) for i in out["Responses"][name]]
            request = out.get("UnprocessedKeys")
        self.assertEqual(sorted(found), list(range(50)))
        deletes = {name: [{"DeleteRequest": {"Key": k}} for k in keys[:20]]}
        self.assertEqual(self.aws("batch-write-item", "--request-items",
                                  self.json_file(deletes))["UnprocessedItems"], {})
        self.assertEqual(self.aws("scan", "--table-name", name, "--select", "COUNT")["Count"], 40)

    def test_transactions(self):
        name = self.create_table("cli-tx", with_gsi=False)
        self.aws("put-item", "--table-name", name, "--item",
                 json.dumps({"pk": {"S": "a"}, "sk": {"N": "0"}, "n": {"N": "5"}}))
        items = [{"Update": {"TableName": name, "Key": json.loads(_key("a", 0)),
                             "UpdateExpression": "SET n = n - :d", "ConditionExpression": "n >= :d",
                             "ExpressionAttributeValues": {":d": {"N": "5"}}}},
                 {"Put": {"TableName": name, "Item": {"pk": {"S": "b"}, "sk": {"N": "0"}}}}]
        self.aws("transact-write-items", "--transact-items", self.json_file(items))
        got = self.aws("transact-get-items", "--transact-items", json.dumps(
            [{"Get": {"TableName": name, "Key": json.loads(_key(k, 0))}} for k in "ab"]))
        self.assertEqual(got["Responses"][0]["Item"]["n"], {"N": "0"})
        self.assertEqual(got["Responses"][1]["Item"]["pk"], {"S": "b"})
        stderr = self.aws_error("TransactionCanceledException", "transact-write-items",
                                "--transact-items", self.json_file(items))
        self.assertIn("[ConditionalCheckFailed, None]", stderr)

    def test_time_to_live(self):
        name = self.create_table("cli-ttl", with_gsi=False)
        out = self.aws("update-time-to-live", "--table-name", name,
                       "--time-to-live-specification", "Enabled=true,AttributeName=expires")
        self.assertEqual(out["TimeToLiveSpecification"],
                         {"Enabled": True, "AttributeName": "expires"})
        described = self.aws("describe-time-to-live", "--table-name", name)
        self.assertIn(described["TimeToLiveDescription"]["TimeToLiveStatus"],
                      ("ENABLED", "ENABLING"))
        self.assertEqual(described["TimeToLiveDescription"]["AttributeName"], "expires")

    def test_errors(self):
        self.aws_error("ResourceNotFoundException", "describe-table", "--table-name", "missing")
        self.aws_error("ResourceNotFoundException", "get-item", "--table-name", "missing",
                       "--key", _key("a", 1))
        name = self.create_table("cli-errors", with_gsi=False)
        self.aws_error("ValidationException", "get-item", "--table-name", name,
                       "--key", json.dumps({"pk": {"S": "a"}}))
        self.aws_error("ValidationException", "query", "--table-name", name,
                       "--key-condition-expression", "sk = :s",
                       "--expression-attribute-values", json.dumps({":s": {"N": "1"}}))
        self.aws_error("ResourceInUseException", "create-table", "--table-name", name,
                       "--billing-mode", "PAY_PER_REQUEST",
                       "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                       "--key-schema", "AttributeName=pk,KeyType=HASH")


class AwsCliSignatureTest(AwsCliBase):
    server_args = ("--verify-signatures", "--access-key", harness.ACCESS_KEY,
                   "--secret-key", harness.SECRET_KEY)

    def test_signed_cli_works(self):
        name = self.create_table("cli-signed", with_gsi=False)
        self.assertIn(name, self.aws("list-tables")["TableNames"])

    def test_wrong_secret_and_unknown_key(self):
        self.aws_error("InvalidSignatureException", "list-tables",
                       env={"AWS_SECRET_ACCESS_KEY": "not-the-secret"})
        self.aws_error("UnrecognizedClientException", "list-tables",
                       env={"AWS_ACCESS_KEY_ID": "AKIDUNKNOWN"})
