"""The Python side of the tests, `make demo` and `make bench`: it starts the real programs
behind a real nginx, Apache or Varnish on loopback, speaks FastCGI to them directly and waits for
states with a deadline. Run everything that uses it from the repository's root, as the Makefile
does (`python3 -m unittest discover -s tests/integration -t .`, `python3 -m harness.local_stack`),
so that `import harness` finds this folder without any path set by hand.

    processes    free ports, waiting with a deadline, stopping a server and all it started
    nginx        the skeleton of a private nginx's config, and starting it
    local_stack  nginx + both programs in a folder of their own (and its command line)
    fastcgi      a FastCGI client for the programs' sockets, and the CGI answer parser
    programs     the programs under test: running one as CGI, a new token, JSON bodies
    stack_case   the unittest base class that shares one stack per class
    apache, varnish, sandbox, guide, agent_case: for the deploy, cache and agent tests
"""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The programs under test: cgi-bin/, or the sanitizer build's folder.
BIN_DIR = pathlib.Path(os.environ.get("HEARTBEAT_BIN_DIR", ROOT / "cgi-bin"))
