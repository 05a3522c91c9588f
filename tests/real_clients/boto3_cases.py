"""boto3 (client and resource APIs) against `moe serve`."""

import datetime
import decimal
import unittest
import uuid
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import Binary
from botocore.config import Config
from botocore.exceptions import ClientError

import harness

_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1},
                 connect_timeout=10, read_timeout=60)


def _session(access_key=harness.ACCESS_KEY, secret_key=harness.SECRET_KEY):
    return boto3.session.Session(aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                                 region_name=harness.REGION)


def _client(endpoint, **keys):
    return _session(**keys).client("dynamodb", endpoint_url=endpoint, config=_CONFIG)


def _resource(endpoint, **keys):
    return _session(**keys).resource("dynamodb", endpoint_url=endpoint, config=_CONFIG)


def _error_code(context):
    return context.exception.response["Error"]["Code"]


def _unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Boto3Base(unittest.TestCase):
    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = harness.MoeServer(cls.server_args).start()
        cls.client = _client(cls.server.endpoint)
        cls.resource = _resource(cls.server.endpoint)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def create_table(self, prefix, with_gsi=True, provisioned=False):
        """Creates a (pk S, sk N) table, optionally with GSI 'by_kind' (kind S, sk N)."""
        name = _unique(prefix)
        args = {
            "TableName": name,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
        }
        throughput = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 7}
        if provisioned:
            args["BillingMode"] = "PROVISIONED"
            args["ProvisionedThroughput"] = throughput
        else:
            args["BillingMode"] = "PAY_PER_REQUEST"
        if with_gsi:
            args["AttributeDefinitions"].append({"AttributeName": "kind", "AttributeType": "S"})
            gsi = {"IndexName": "by_kind",
                   "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"},
                                 {"AttributeName": "sk", "KeyType": "RANGE"}],
                   "Projection": {"ProjectionType": "ALL"}}
            if provisioned:
                gsi["ProvisionedThroughput"] = throughput
            args["GlobalSecondaryIndexes"] = [gsi]
        created = self.client.create_table(**args)["TableDescription"]
        self.assertEqual(created["TableName"], name)
        self.client.get_waiter("table_exists").wait(
            TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        return name


class Boto3Test(Boto3Base):

    def test_table_lifecycle(self):
        on_demand = self.create_table("b3-ondemand")
        provisioned = self.create_table("b3-provisioned", provisioned=True)
        table = self.client.describe_table(TableName=on_demand)["Table"]
        self.assertEqual(table["TableStatus"], "ACTIVE")
        self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual([k["AttributeName"] for k in table["KeySchema"]], ["pk", "sk"])
        self.assertEqual(table["GlobalSecondaryIndexes"][0]["IndexName"], "by_kind")
        self.assertEqual(table["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE")
        self.assertTrue(table["TableArn"].endswith(f":table/{on_demand}"))
        table = self.client.describe_table(TableName=provisioned)["Table"]
        self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.assertEqual(table["ProvisionedThroughput"]["WriteCapacityUnits"], 7)
        self.assertEqual(
            table["GlobalSecondaryIndexes"][0]["ProvisionedThroughput"]["WriteCapacityUnits"], 7)
        names = [n for page in self.client.get_paginator("list_tables").paginate(
            PaginationConfig={"PageSize": 1}) for n in page["TableNames"]]
        self.assertIn(on_demand, names)
        self.assertIn(provisioned, names)
        self.assertEqual(names, sorted(names))
        # The resource API sees the same table.
        self.assertEqual(self.resource.Table(provisioned).table_status, "ACTIVE")
        for name in (on_demand, provisioned):
            self.client.delete_table(TableName=name)
            self.client.get_waiter("table_not_exists").wait(
                TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        names = self.client.list_tables()["TableNames"]
        self.assertNotIn(on_demand, names)
        self.assertNotIn(provisioned, names)

    def test_item_crud_and_update_expression(self):
        table = self.resource.Table(self.create_table("b3-crud"))
        table.put_item(Item={"pk": "user#1", "sk": 1, "name": "Ann", "score": 10,
                             "old": "remove me", "tags": {Decimal(1)}, "kind": "user"})
        got = table.get_item(Key={"pk": "user#1", "sk": 1}, ConsistentRead=True)["Item"]
        self.assertEqual(got["name"], "Ann")
        self.assertIsInstance(got["score"], Decimal)
        self.assertEqual(got["tags"], {Decimal(1)})
        new = table.update_item(
            Key={"pk": "user#1", "sk": 1},
            UpdateExpression="SET #score = #score + :eleven, #visits = "
                             "if_not_exists(#visits, :zero) + :one, #name = :name "
                             "REMOVE #old ADD #tags :more",
            ConditionExpression="attribute_exists(pk) AND #score >= :min",
            ExpressionAttributeNames={"#score": "score", "#visits": "visits", "#name": "name",
                                      "#old": "old", "#tags": "tags"},
            ExpressionAttributeValues={":eleven": 11, ":one": 1, ":zero": 0, ":name": "Bea",
                                       ":min": 5, ":more": {Decimal(2), Decimal(3)}},
            ReturnValues="ALL_NEW")["Attributes"]
        self.assertEqual(new["score"], Decimal(21))
        self.assertEqual(new["visits"], Decimal(1))
        self.assertEqual(new["name"], "Bea")
        self.assertNotIn("old", new)
        self.assertEqual(new["tags"], {Decimal(1), Decimal(2), Decimal(3)})
        # if_not_exists keeps the existing value the second time.
        new = table.update_item(
            Key={"pk": "user#1", "sk": 1},
            UpdateExpression="SET visits = if_not_exists(visits, :zero) + :one",
            ExpressionAttributeValues={":zero": 0, ":one": 1}, ReturnValues="UPDATED_NEW")
        self.assertEqual(new["Attributes"], {"visits": Decimal(2)})
        old = table.delete_item(Key={"pk": "user#1", "sk": 1}, ReturnValues="ALL_OLD")
        self.assertEqual(old["Attributes"]["name"], "Bea")
        self.assertNotIn("Item", table.get_item(Key={"pk": "user#1", "sk": 1},
                                                ConsistentRead=True))

    def test_conditional_check_failed(self):
        table = self.resource.Table(self.create_table("b3-cond"))
        table.put_item(Item={"pk": "a", "sk": 1, "n": 1})
        with self.assertRaises(ClientError) as failed:
            table.put_item(Item={"pk": "a", "sk": 1, "n": 2},
                           ConditionExpression="attribute_not_exists(pk)")
        self.assertEqual(_error_code(failed), "ConditionalCheckFailedException")
        self.assertEqual(failed.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        # The modeled exception class matches too, and can carry the item (botocore >= 1.31).
        update = self.client.meta.service_model.operation_model("UpdateItem")
        extra = {}
        if "ReturnValuesOnConditionCheckFailure" in update.input_shape.members:
            extra["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        with self.assertRaises(self.client.exceptions.ConditionalCheckFailedException) as failed:
            self.client.update_item(
                TableName=table.name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}},
                UpdateExpression="SET n = :v", ConditionExpression="n = :expected",
                ExpressionAttributeValues={":v": {"N": "3"}, ":expected": {"N": "9"}}, **extra)
        if extra:
            self.assertEqual(failed.exception.response["Item"]["n"], {"N": "1"})
        self.assertEqual(table.get_item(Key={"pk": "a", "sk": 1},
                                        ConsistentRead=True)["Item"]["n"], 1)

    def test_query_scan_and_gsi(self):
        table = self.resource.Table(self.create_table("b3-query"))
        with table.batch_writer() as batch:
            for i in range(20):
                batch.put_item(Item={"pk": "p", "sk": i, "kind": "even" if i % 2 == 0 else "odd",
                                     "v": i * 10})
            batch.put_item(Item={"pk": "other", "sk": 0, "kind": "even", "v": 0})
        page = table.query(KeyConditionExpression=Key("pk").eq("p") & Key("sk").gte(5),
                           ScanIndexForward=False, Limit=4)
        self.assertEqual([i["sk"] for i in page["Items"]], [19, 18, 17, 16])
        self.assertEqual(page["LastEvaluatedKey"], {"pk": "p", "sk": Decimal(16)})
        page = table.query(KeyConditionExpression=Key("pk").eq("p") & Key("sk").gte(5),
                           ScanIndexForward=False, Limit=4,
                           ExclusiveStartKey=page["LastEvaluatedKey"])
        self.assertEqual([i["sk"] for i in page["Items"]], [15, 14, 13, 12])
        page = table.query(KeyConditionExpression=Key("pk").eq("p") & Key("sk").between(3, 6),
                           FilterExpression=Attr("kind").eq("odd"),
                           ProjectionExpression="sk, v")
        self.assertEqual(page["Items"], [{"sk": 3, "v": 30}, {"sk": 5, "v": 50}])
        self.assertEqual((page["Count"], page["ScannedCount"]), (2, 4))
        gsi = table.query(IndexName="by_kind", KeyConditionExpression=Key("kind").eq("even"),
                          ScanIndexForward=False)
        self.assertEqual(gsi["Count"], 11)
        self.assertEqual([i["sk"] for i in gsi["Items"]][:3], [18, 16, 14])
        self.assertEqual(gsi["Items"][-1]["sk"], 0)
        scanned = []
        for page in self.client.get_paginator("scan").paginate(
                TableName=table.name, FilterExpression="v > :v",
                ExpressionAttributeValues={":v": {"N": "150"}}, PaginationConfig={"PageSize": 3}):
            scanned.extend(int(i["sk"]["N"]) for i in page["Items"])
        self.assertEqual(sorted(scanned), [16, 17, 18, 19])
        count = table.scan(Select="COUNT")
        self.assertEqual(count["Count"], 21)
        self.assertNotIn("Items", count)

    def test_paginator_over_one_megabyte(self):
        name = self.create_table("b3-big", with_gsi=False)
        table = self.resource.Table(name)
        blob = "x" * 250_000
        with table.batch_writer() as batch:
            for i in range(7):  # ~1.75 MB in one partition: at least two 1 MB query pages
                batch.put_item(Item={"pk": "big", "sk": i, "blob": blob})
        pages = list(self.client.get_paginator("query").paginate(
            TableName=name, KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "big"}}))
        self.assertGreaterEqual(len(pages), 2)
        self.assertIn("LastEvaluatedKey", pages[0])
        keys = [int(i["sk"]["N"]) for p in pages for i in p["Items"]]
        self.assertEqual(keys, list(range(7)))
        self.assertTrue(all(len(i["blob"]["S"]) == 250_000 for p in pages for i in p["Items"]))
        merged = self.client.get_paginator("query").paginate(
            TableName=name, KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "big"}}, ScanIndexForward=False
        ).build_full_result()
        self.assertEqual(merged["Count"], 7)
        self.assertEqual(int(merged["Items"][0]["sk"]["N"]), 6)

    def test_batch_writer_500_items_and_batch_get(self):
        table = self.resource.Table(self.create_table("b3-batch", with_gsi=False))
        with table.batch_writer() as batch:
            for i in range(500):
                batch.put_item(Item={"pk": f"item#{i % 17}", "sk": i, "payload": "p" * 100,
                                     "n": Decimal(i) / 4})
        keys = [{"pk": f"item#{i % 17}", "sk": i} for i in range(500)]
        found = {}
        for start in range(0, 500, 100):
            request = {table.name: {"Keys": keys[start:start + 100], "ConsistentRead": True}}
            while request:
                response = self.resource.batch_get_item(RequestItems=request)
                for item in response["Responses"][table.name]:
                    found[int(item["sk"])] = item
                request = response.get("UnprocessedKeys")
        self.assertEqual(sorted(found), list(range(500)))
        self.assertEqual(found[7]["n"], Decimal("1.75"))
        total = sum(p["Count"] for p in self.client.get_paginator("scan").paginate(
            TableName=table.name, Select="COUNT"))
        self.assertEqual(total, 500)
        # Deletes through the batch writer as well.
        with table.batch_writer() as batch:
            for key in keys[:250]:
                batch.delete_item(Key=key)
        self.assertEqual(table.scan(Select="COUNT", ConsistentRead=True)["Count"], 250)
        # More than 25 requests in one low-level call is the server's validation error.
        with self.assertRaises(ClientError) as failed:
            self.client.batch_write_item(RequestItems={table.name: [
                {"PutRequest": {"Item": {"pk": {"S": "x"}, "sk": {"N": str(i)}}}}
                for i in range(26)]})
        self.assertEqual(_error_code(failed), "ValidationException")

    def test_transactions(self):
        name = self.create_table("b3-tx", with_gsi=False)
        table = self.resource.Table(name)
        table.put_item(Item={"pk": "acct#a", "sk": 0, "balance": 100})
        table.put_item(Item={"pk": "acct#b", "sk": 0, "balance": 0})
        table.put_item(Item={"pk": "bank", "sk": 0, "open": True})

        def transfer(amount, token=None):
            args = {"TransactItems": [
                {"Update": {"TableName": name, "Key": {"pk": {"S": "acct#a"}, "sk": {"N": "0"}},
                            "UpdateExpression": "SET balance = balance - :amt",
                            "ConditionExpression": "balance >= :amt",
                            "ExpressionAttributeValues": {":amt": {"N": str(amount)}},
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
                {"Update": {"TableName": name, "Key": {"pk": {"S": "acct#b"}, "sk": {"N": "0"}},
                            "UpdateExpression": "ADD balance :amt",
                            "ExpressionAttributeValues": {":amt": {"N": str(amount)}}}},
                {"Put": {"TableName": name,
                         "Item": {"pk": {"S": "log"}, "sk": {"N": str(amount)}},
                         "ConditionExpression": "attribute_not_exists(pk)"}},
                {"ConditionCheck": {"TableName": name,
                                    "Key": {"pk": {"S": "bank"}, "sk": {"N": "0"}},
                                    "ConditionExpression": "#open = :yes",
                                    "ExpressionAttributeNames": {"#open": "open"},
                                    "ExpressionAttributeValues": {":yes": {"BOOL": True}}}},
            ]}
            if token:
                args["ClientRequestToken"] = token
            return self.client.transact_write_items(**args)

        transfer(30, token="transfer-30")
        transfer(30, token="transfer-30")  # idempotent replay: applied once
        got = self.client.transact_get_items(TransactItems=[
            {"Get": {"TableName": name, "Key": {"pk": {"S": "acct#a"}, "sk": {"N": "0"}}}},
            {"Get": {"TableName": name, "Key": {"pk": {"S": "acct#b"}, "sk": {"N": "0"}},
                     "ProjectionExpression": "balance"}},
            {"Get": {"TableName": name, "Key": {"pk": {"S": "nobody"}, "sk": {"N": "0"}}}},
        ])["Responses"]
        self.assertEqual(got[0]["Item"]["balance"], {"N": "70"})
        self.assertEqual(got[1]["Item"], {"balance": {"N": "30"}})
        self.assertEqual(got[2], {})

        with self.assertRaises(ClientError) as failed:
            transfer(1000)
        self.assertEqual(_error_code(failed), "TransactionCanceledException")
        self.assertIn("[ConditionalCheckFailed, None, None, None]",
                      failed.exception.response["Error"]["Message"])
        reasons = failed.exception.response["CancellationReasons"]
        self.assertEqual([r["Code"] for r in reasons],
                         ["ConditionalCheckFailed", "None", "None", "None"])
        self.assertEqual(reasons[0]["Item"]["balance"], {"N": "70"})
        with self.assertRaises(self.client.exceptions.TransactionCanceledException):
            transfer(30)  # the log item exists: the Put's condition fails
        self.assertEqual(table.get_item(Key={"pk": "acct#a", "sk": 0})["Item"]["balance"], 70)
        # Two operations on the same item: a validation error, not a cancellation.
        with self.assertRaises(ClientError) as failed:
            self.client.transact_write_items(TransactItems=[
                {"Delete": {"TableName": name, "Key": {"pk": {"S": "log"}, "sk": {"N": "30"}}}},
                {"Delete": {"TableName": name, "Key": {"pk": {"S": "log"}, "sk": {"N": "30"}}}},
            ])
        self.assertEqual(_error_code(failed), "ValidationException")

    def test_types_nested_documents_and_capacity(self):
        name = self.create_table("b3-types")
        table = self.resource.Table(name)
        item = {"pk": "ünï/cødé ✓", "sk": Decimal("-1.5"), "bin": Binary(b"\x00\xffraw"),
                "bins": {Binary(b"a"), Binary(b"\x01")}, "strs": {"x", "y"}, "flag": False,
                "nothing": None, "empty": "", "list": [1, "two", [3], {"four": 4}],
                "doc": {"nest": {"deep": [Decimal("0.1")]}, "tags": []}}
        consumed = table.put_item(Item=item, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
        self.assertEqual(consumed["TableName"], name)
        self.assertGreater(consumed["CapacityUnits"], 0)
        got = table.get_item(Key={"pk": item["pk"], "sk": item["sk"]}, ConsistentRead=True,
                             ReturnConsumedCapacity="INDEXES")
        self.assertEqual(got["Item"], item)
        self.assertEqual(got["ConsumedCapacity"]["CapacityUnits"], 1.0)
        new = table.update_item(
            Key={"pk": item["pk"], "sk": item["sk"]},
            UpdateExpression="SET doc.nest.deep[1] = :x, #l[0] = :y, doc.added = list_append("
                             ":empty, :z) REMOVE #l[2] DELETE strs :gone",
            ExpressionAttributeNames={"#l": "list"},
            ExpressionAttributeValues={":x": "new", ":y": 100, ":empty": [], ":z": [True],
                                       ":gone": {"x"}, ":four": 4, ":one": "y", ":b": "B",
                                       ":prefix": "ünï"},
            ConditionExpression="size(#l) = :four AND contains(strs, :one) AND "
                                "attribute_type(bin, :b) AND begins_with(pk, :prefix)",
            ReturnValues="ALL_NEW")
        new = new["Attributes"]
        self.assertEqual(new["doc"], {"nest": {"deep": [Decimal("0.1"), "new"]}, "tags": [],
                                      "added": [True]})
        self.assertEqual(new["list"], [100, "two", {"four": 4}])
        self.assertEqual(new["strs"], {"y"})
        self.assertEqual(new["bins"], item["bins"])
        resource_table = self.resource.Table(name)
        resource_table.load()
        self.assertIsInstance(resource_table.creation_date_time, datetime.datetime)
        self.assertEqual(resource_table.key_schema[0]["AttributeName"], "pk")
        gsi = table.query(IndexName="by_kind", KeyConditionExpression=Key("kind").eq("x"))
        self.assertEqual(gsi["Count"], 0)  # no 'kind': not in the sparse index

    def test_time_to_live(self):
        name = self.create_table("b3-ttl", with_gsi=False)
        described = self.client.describe_time_to_live(TableName=name)
        self.assertEqual(described["TimeToLiveDescription"]["TimeToLiveStatus"], "DISABLED")
        spec = self.client.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
        self.assertEqual(spec["TimeToLiveSpecification"],
                         {"Enabled": True, "AttributeName": "expires"})
        described = self.client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        self.assertEqual(described["AttributeName"], "expires")
        self.assertIn(described["TimeToLiveStatus"], ("ENABLED", "ENABLING"))

    def test_decimal_exactness(self):
        table = self.resource.Table(self.create_table("b3-decimal", with_gsi=False))
        values = {
            "digits38": Decimal("12345678901234567890123456789012345678"),
            "fraction38": Decimal("-0.12345678901234567890123456789012345678"),
            "huge": Decimal("9.9999999999999999999999999999999999999E+125"),
            "tiny": Decimal("1E-130"),
            "set": {Decimal("1.10"), Decimal("99999999999999999999999999999999999999")},
        }
        table.put_item(Item={"pk": "d", "sk": 1, **values})
        item = table.get_item(Key={"pk": "d", "sk": 1}, ConsistentRead=True)["Item"]
        for name, value in values.items():
            self.assertEqual(item[name], value, name)
        self.assertEqual(str(item["digits38"]), "12345678901234567890123456789012345678")
        new = table.update_item(Key={"pk": "d", "sk": 1},
                                UpdateExpression="ADD digits38 :one SET fraction38 = fraction38 - :f",
                                ExpressionAttributeValues={":one": 1, ":f": Decimal("1E-38")},
                                ReturnValues="UPDATED_NEW")["Attributes"]
        self.assertEqual(str(new["digits38"]), "12345678901234567890123456789012345679")
        self.assertEqual(new["fraction38"], Decimal("-0.12345678901234567890123456789012345679"))
        # The low-level client sees the wire strings as the server wrote them.
        raw = self.client.get_item(TableName=table.name,
                                   Key={"pk": {"S": "d"}, "sk": {"N": "1"}})["Item"]
        self.assertEqual(raw["digits38"]["N"], "12345678901234567890123456789012345679")
        # 39 significant digits: boto3 refuses before sending, the server after receiving.
        with self.assertRaises(decimal.Inexact):
            table.put_item(Item={"pk": "d", "sk": 2,
                                 "n": Decimal("123456789012345678901234567890123456789")})
        with self.assertRaises(ClientError) as failed:
            self.client.put_item(TableName=table.name, Item={
                "pk": {"S": "d"}, "sk": {"N": "2"},
                "n": {"N": "123456789012345678901234567890123456789"}})
        self.assertEqual(_error_code(failed), "ValidationException")

    def test_errors(self):
        with self.assertRaises(ClientError) as failed:
            self.client.get_item(TableName="no-such-table", Key={"pk": {"S": "a"}})
        self.assertEqual(_error_code(failed), "ResourceNotFoundException")
        with self.assertRaises(self.client.exceptions.ResourceNotFoundException):
            self.client.describe_table(TableName="no-such-table")
        name = self.create_table("b3-errors", with_gsi=False)
        with self.assertRaises(ClientError) as failed:  # key without its sort key
            self.client.get_item(TableName=name, Key={"pk": {"S": "a"}})
        self.assertEqual(_error_code(failed), "ValidationException")
        self.assertIn("key", failed.exception.response["Error"]["Message"].lower())
        with self.assertRaises(ClientError) as failed:  # expression syntax error
            self.client.update_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}},
                                    UpdateExpression="SET = 1")
        self.assertEqual(_error_code(failed), "ValidationException")
        with self.assertRaises(ClientError) as failed:  # wrong key type
            self.client.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "1"}})
        self.assertEqual(_error_code(failed), "ValidationException")
        with self.assertRaises(self.client.exceptions.ResourceInUseException):
            self.client.create_table(
                TableName=name, BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])


class Boto3SignatureTest(Boto3Base):
    server_args = ("--verify-signatures", "--access-key", harness.ACCESS_KEY,
                   "--secret-key", harness.SECRET_KEY)

    def test_signed_client_works(self):
        table = self.resource.Table(self.create_table("b3-signed", with_gsi=False))
        table.put_item(Item={"pk": "a", "sk": 1, "text": "héllo wörld / ? & = +"})
        item = table.get_item(Key={"pk": "a", "sk": 1}, ConsistentRead=True)["Item"]
        self.assertEqual(item["text"], "héllo wörld / ? & = +")
        self.assertIn(table.name, self.client.list_tables()["TableNames"])

    def test_wrong_secret_is_rejected(self):
        client = _client(self.server.endpoint, secret_key="not-the-secret")
        with self.assertRaises(ClientError) as failed:
            client.list_tables()
        self.assertEqual(_error_code(failed), "InvalidSignatureException")
        self.assertEqual(failed.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_unknown_key_is_rejected(self):
        client = _client(self.server.endpoint, access_key="AKIDUNKNOWN")
        with self.assertRaises(ClientError) as failed:
            client.list_tables()
        self.assertEqual(_error_code(failed), "UnrecognizedClientException")
