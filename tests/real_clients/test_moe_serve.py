#!/usr/bin/env python3
"""`moe serve` as a drop-in local DynamoDB: the AWS CLI and boto3 against it, unchanged.

Usage: test_moe_serve.py --moe PATH [--client awscli|boto3|all] [--aws PATH] [unittest args]

Every test class starts its own server on a free 127.0.0.1 port and stops it when done, so
several runs (and the rest of CTest) can go in parallel. A client that is not installed makes
its cases skip, not fail; the exit code is 77 when nothing ran.
"""

import argparse
import os
import shutil
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

SKIPPED = 77


def _load(client):
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    if client in ("awscli", "all"):
        import awscli_cases
        suite.addTests(loader.loadTestsFromModule(awscli_cases))
    if client in ("boto3", "all"):
        try:
            import boto3_cases
        except ImportError as missing:  # boto3 not installed
            print(f"boto3 cases skipped: {missing}", file=sys.stderr)
        else:
            suite.addTests(loader.loadTestsFromModule(boto3_cases))
    return suite


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moe", required=True, help="path to the moe binary")
    parser.add_argument("--client", choices=("awscli", "boto3", "all"), default="all")
    parser.add_argument("--aws", default=os.environ.get("MOE_TEST_AWS_CLI") or shutil.which("aws"),
                        help="the AWS CLI to run (default: $MOE_TEST_AWS_CLI, then aws on PATH)")
    parser.add_argument("-k", dest="patterns", action="append", default=[],
                        help="only run tests whose name contains this substring")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    harness.MOE_BINARY = os.path.abspath(args.moe)
    harness.AWS_CLI = args.aws
    harness.isolate_environment()
    suite = _load(args.client)
    if args.patterns:
        def flatten(s):
            for t in s:
                yield from (flatten(t) if isinstance(t, unittest.TestSuite) else [t])
        suite = unittest.TestSuite(t for t in flatten(suite)
                                   if any(p in t.id() for p in args.patterns))
    result = unittest.TextTestRunner(verbosity=2 if args.verbose else 1).run(suite)
    if not result.wasSuccessful():
        return 1
    # Nothing ran (client not installed): CTest's SKIP_RETURN_CODE.
    # (A class skipped in setUpClass adds a skip entry that is not a TestCase.)
    skipped_tests = sum(isinstance(t, unittest.TestCase) for t, _ in result.skipped)
    return SKIPPED if result.testsRun == skipped_tests else 0


if __name__ == "__main__":
    sys.exit(main())
