"""The unittest base class of the tests that run against a LocalStack."""
import pathlib
import shutil
import tempfile
import unittest

from harness.local_stack import LocalStack
from harness.programs import JSON_TYPE, json_body


def temp_dir(test, prefix):
    """A new folder that is removed when `test` ends."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    test.addCleanup(shutil.rmtree, folder, ignore_errors=True)
    return folder


class StackTestCase(unittest.TestCase):
    """Tests that share one LocalStack for the whole class; `stack_args` are LocalStack's."""

    stack_args = {}

    @classmethod
    def setUpClass(cls):
        cls.stack = LocalStack(**cls.stack_args).start()

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def temp_dir(self, prefix):
        return temp_dir(self, prefix)

    def assertJsonError(self, response, status, code=None):
        """`response` is (status, headers, body); returns the headers."""
        got_status, headers, body = response
        self.assertEqual(got_status, status, body)
        self.assertEqual(headers["content-type"], JSON_TYPE)
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        data = json_body(body)
        self.assertTrue(data["message"])
        if code:
            self.assertEqual(data["error"], code)
        return headers
