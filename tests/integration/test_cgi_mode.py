"""Both programs as plain CGI: one request from the environment and stdin, one process each."""
import json
import shutil
import unittest

from harness import BIN_DIR
from harness.cgi_case import CgiCase
from harness.programs import JSON_TYPE, json_body, run_cgi


class CgiMode(CgiCase):
    config_lines = "last_seen = exact\n"

    def test_heartbeat_then_status_online(self):
        status, headers, body, _ = self.post(json.dumps({"device": "mac"}).encode())
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], JSON_TYPE)
        self.assertEqual(json_body(body)["device"], "mac")
        status, headers, body, _ = self.get()
        self.assertEqual(status, 200)
        data = json_body(body)
        self.assertEqual((data["isOnline"], data["state"]), (True, "online"))
        self.assertIn("lastSeen", data)
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        self.assertTrue((self.dir / "heartbeat.db").exists())  # created beside the config

    def test_every_heartbeat_error_code(self):
        cases = [
            (dict(method="GET"), 405, "method_not_allowed"),
            (dict(body=b"x" * 4097), 413, "payload_too_large"),
            (dict(token=False), 401, "unauthorized"),
            (dict(token="wrong"), 401, "unauthorized"),
            (dict(body=b"{}", content_type="text/plain"), 415, "unsupported_media_type"),
            (dict(body=b'{"state":1}'), 400, "bad_request"),
            (dict(body=b"{}", CONTENT_LENGTH="abc"), 400, "bad_request"),
        ]
        for args, code, error in cases:
            with self.subTest(args=args):
                method = args.pop("method", None)
                if method:
                    status, headers, body, _ = run_cgi(
                        "heartbeat.fcgi", dict(self.base, REQUEST_METHOD=method))
                else:
                    status, headers, body, _ = self.post(**args)
                self.assertEqual(status, code, body)
                self.assertEqual(json_body(body)["error"], error)

    def test_lockout_holds_across_cgi_processes(self):
        for _ in range(10):
            self.assertEqual(self.post(token=False)[0], 401)  # no token: never counted
        for _ in range(10):
            self.assertEqual(self.post(token="wrong")[0], 401)
        status, headers, body, _ = self.post(token="wrong")
        self.assertEqual(status, 429)
        self.assertIn("retry-after", headers)
        self.assertEqual(self.post(token=False)[0], 429)
        self.assertEqual(self.post()[0], 200)  # the right token always passes

    def test_status_formats_and_methods(self):
        status, headers, body, _ = self.get(PATH_INFO="/badge.svg")
        self.assertEqual((status, headers["content-type"]), (200, "image/svg+xml"))
        status, _, body, _ = self.get(QUERY_STRING="format=shields")
        self.assertEqual(json_body(body)["message"], "offline")
        status, headers, body, _ = self.get(method="HEAD")
        self.assertEqual((status, body), (200, b""))
        etag = headers["etag"]
        self.assertEqual(self.get(HTTP_IF_NONE_MATCH=etag)[0], 304)
        self.assertEqual(self.get(method="OPTIONS")[0], 204)
        self.assertEqual(self.get(method="DELETE")[0], 405)
        self.assertEqual(self.get(QUERY_STRING="format=%g")[0], 400)

    def test_503_answers(self):
        self.config.write_text("last_seen = exact\n")  # no token_sha256
        status, headers, body, _ = self.post(b"{}")
        self.assertEqual((status, json_body(body)["error"]), (503, "not_configured"))
        self.assertEqual(headers["retry-after"], "30")
        self.assertEqual(self.get()[0], 200)  # status still works

        self.config.write_text("database = no/such/folder/hb.db\n")
        status, headers, body, stderr = self.get()
        self.assertEqual(status, 503)
        self.assertEqual(json_body(body), {"isOnline": False, "error": "storage_unavailable",
                                           "message": "the database cannot be used"})
        self.assertEqual(headers["cache-control"], "no-store")
        self.assertIn("status.fcgi: database", stderr)
        status, _, body, _ = self.get(PATH_INFO="/badge.svg")
        self.assertEqual(status, 503)
        self.assertIn(b">unknown<", body)

        self.config.write_text("online_window = 0\n")
        status, _, body, stderr = self.post(b"{}")
        self.assertEqual((status, json_body(body)["error"]), (503, "config_invalid"))
        self.assertIn("heartbeat.fcgi: config", stderr)
        self.assertEqual(self.get(PATH_INFO="/db")[0], 404)  # a wrong path, whatever the config

    def test_config_beside_the_executable_when_nothing_says_otherwise(self):
        for program in ("status.fcgi", "heartbeat.fcgi"):
            shutil.copy(BIN_DIR / program, self.dir / program)
        upload = dict(REQUEST_METHOD="GET", PATH="/usr/bin:/bin")
        proc_env = {k: v for k, v in upload.items()}
        import subprocess
        out = subprocess.run([str(self.dir / "status.fcgi")], env=proc_env, capture_output=True)
        self.assertEqual(out.returncode, 0)
        self.assertIn(b'"state":"offline"', out.stdout)
        self.config.unlink()
        out = subprocess.run([str(self.dir / "status.fcgi")], env=proc_env, capture_output=True)
        self.assertIn(b"Status: 503", out.stdout)
        self.assertIn(b'"error":"config_missing"', out.stdout)
        self.assertIn(str(self.config).encode(), out.stderr)  # full path only in the log


if __name__ == "__main__":
    unittest.main()
