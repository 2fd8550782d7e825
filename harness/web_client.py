"""Requests through a web server the test started (`self.port`) as a browser or the agent sends
them, on a connection the caller keeps: a heartbeat with the test's token (`self.token`), its
body in parts with pauses between them if asked, and GETs."""
import http.client
import time


class WebClient:
    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def post(self, connection, body, parts=1, pause=0.0):
        connection.putrequest("POST", "/cgi-bin/heartbeat.fcgi")
        for name, value in (("Content-Type", "application/json"),
                            ("Authorization", f"Bearer {self.token}"),
                            ("Content-Length", str(len(body)))):
            connection.putheader(name, value)
        connection.endheaders()
        step = (len(body) + parts - 1) // parts
        for i in range(0, len(body), step):
            if i:
                time.sleep(pause)
            connection.send(body[i:i + step])
        response = connection.getresponse()
        return response.status, response.read()

    def get(self, connection, path):
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
