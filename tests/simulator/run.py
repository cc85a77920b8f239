"""Start the PagerDuty REST API simulator (the ``pdsim`` package beside this file) on 127.0.0.1.

    python tests/simulator/run.py [--port 0] [--url-file PATH] [--pid-file PATH] [--tls --ca-file PATH] [--spec PATH]
                                  [--rate-limit N] [--latency SECONDS] [--strict] [--exit-on-stdin-eof]

Prints one line ``PD_SIMULATOR_URL=<url>`` and serves until SIGTERM or SIGINT.  To start it for a
test or around a command, use control.py (``Simulator`` or ``python control.py run -- COMMAND``).
"""

import argparse
import os
import signal
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# pylint: disable=wrong-import-position
from pdsim.server import MAX_LATENCY, SimulatorServer, SimulatorState, make_tls_context  # noqa: E402
from pdsim.validator import SpecValidator, default_spec_path  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Local PagerDuty REST API v2 simulator (127.0.0.1 only).')
    parser.add_argument('--port', type=int, default=0, help='port to bind (default 0: a free port)')
    parser.add_argument('--url-file', help='also write the URL to this file')
    parser.add_argument('--pid-file', help='write the process id to this file (removed again at exit)')
    parser.add_argument('--tls', action='store_true', help='serve HTTPS with a throw-away test CA')
    parser.add_argument('--ca-file', help='with --tls: where to write the test CA certificate (PEM)')
    parser.add_argument('--spec', default=None, help='OpenAPI document to validate requests against')
    parser.add_argument('--rate-limit', type=int, default=None, help='requests allowed per 60 s window (default: unlimited)')
    parser.add_argument('--latency', type=float, default=0.0,
                        help='seconds every API request waits before it is answered, 0 to 10 (default 0; not the admin API)')
    parser.add_argument('--strict', action='store_true',
                        help='also refuse what PagerDuty accepts but its OpenAPI document does not describe '
                             '(default: accept it, like PagerDuty, and record it in the request log)')
    parser.add_argument('--exit-on-stdin-eof', action='store_true',
                        help='stop when stdin closes (control.py uses this so a dead test run leaves no server behind)')
    args = parser.parse_args(argv)
    if args.tls and not args.ca_file:
        parser.error('--tls needs --ca-file PATH')
    if not 0 <= args.latency <= MAX_LATENCY:
        parser.error(f'--latency must be from 0 to {MAX_LATENCY:g} seconds')
    return args


def load_validator(path):
    if not os.path.isfile(path):
        sys.stderr.write(f'OpenAPI spec not found at {path}; request validation disabled\n')
        sys.stderr.flush()
        return None
    return SpecValidator.from_file(path)


def write_atomically(path, text):
    temporary = path + '.tmp'
    with open(temporary, 'w', encoding='utf-8') as handle:
        handle.write(text)
    os.replace(temporary, path)


def main(argv=None):
    args = parse_args(argv)
    validator = load_validator(args.spec or default_spec_path())
    state = SimulatorState(validator=validator, rate_limit=args.rate_limit, strict=args.strict, latency=args.latency)
    ssl_context = make_tls_context(args.ca_file) if args.tls else None
    server = SimulatorServer(state, port=args.port, ssl_context=ssl_context)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())

    worker = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True)
    worker.start()
    if args.exit_on_stdin_eof:
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    if args.pid_file:
        write_atomically(args.pid_file, f'{os.getpid()}\n')
    if args.url_file:
        write_atomically(args.url_file, server.url + '\n')
    sys.stdout.write(f'PD_SIMULATOR_URL={server.url}\n')
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    if args.pid_file and os.path.isfile(args.pid_file):
        os.remove(args.pid_file)
    return 0


if __name__ == '__main__':
    sys.exit(main())
