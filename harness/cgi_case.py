"""The unittest base class of the tests that run both programs as plain CGI: each test gets a
folder of its own with a config (a new token's hash and `config_lines`), and the environment a
CGI server would set."""
import json
import unittest

from harness import BIN_DIR
from harness.programs import new_token, run_cgi
from harness.stack_case import temp_dir


class CgiCase(unittest.TestCase):
    config_lines = ""

    def setUp(self):
        self.dir = temp_dir(self, "heartbeat-cgi-")
        self.token, token_line = new_token(BIN_DIR)
        self.config = self.dir / "heartbeat.conf"
        self.config.write_text(token_line + "\n" + self.config_lines)
        self.base = {"HEARTBEAT_CONFIG": str(self.config), "REMOTE_ADDR": "192.0.2.10",
                     "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1"}

    def post(self, body=b"", token=None, content_type="application/json", **extra):
        """heartbeat.fcgi with `body`; token False sends no Authorization at all."""
        env = dict(self.base, REQUEST_METHOD="POST", CONTENT_LENGTH=str(len(body)))
        if content_type and body:
            env["CONTENT_TYPE"] = content_type
        env.update(extra)
        if token is not False:
            env["HTTP_AUTHORIZATION"] = f"Bearer {token or self.token}"
        return run_cgi("heartbeat.fcgi", env, body)

    def post_json(self, payload):
        return self.post(json.dumps(payload).encode())

    def get(self, method="GET", **extra):
        """status.fcgi; `extra` are more CGI variables (QUERY_STRING, PATH_INFO, HTTP_…)."""
        return run_cgi("status.fcgi", dict(self.base, REQUEST_METHOD=method, **extra))
