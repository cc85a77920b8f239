"""Start and drive the PagerDuty simulator (stdlib only): the one client of its admin API.

From Python (tests, benchmarks)::

    with Simulator(tls=True) as sim:
        sim.seed({'teams': [{'name': 'Ops'}]})
        ...  # talk to sim.url with sim.token, verify=sim.ca_file
        assert all(not entry['spec_violations'] for entry in sim.requests())

    sim = Simulator.attach(os.environ['PD_SIMULATOR_URL'])   # one that is already running

From the command line (scripts)::

    python control.py run [--tls] [--spec PATH] [--rate-limit N] [--latency S] [--strict] [--log FILE] [--url-file FILE] -- COMMAND [ARGS...]
    python control.py [--url URL] reset | seed FILE|- | seed --data JSON | requests [--count] | clear-log
                      | fault [--method M] [--path P] [--status N] [--count N] [--latency S] [--drop] [--shape S] | clear-faults
                      | token TOKEN [--access read|write] [--auth token|bearer] [--remove] [--user ID] | rate-limit N|none
                      | strict on|off | latency S | state
                      | oauth-client CLIENT_ID CLIENT_SECRET [--scope S ...] [--subdomain D] [--region us|eu] [--expires-in N]
                      | expire-oauth-tokens

``run`` starts a simulator, runs COMMAND with PD_SIMULATOR_URL, PAGERDUTY_API_URL and
PAGERDUTY_API_TOKEN (the write token unless already set; with --tls also PD_SIMULATOR_CA_FILE) in
its environment, stops the simulator and exits with COMMAND's status.  The other commands talk to the simulator at ``--url`` (default
``$PD_SIMULATOR_URL``) and print its answer as JSON.
"""

import argparse
import atexit
import json
import os
import queue
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

RUN_PY = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'run.py')
WRITE_TOKEN = 'sim-write-token'
READ_TOKEN = 'sim-read-token'
OAUTH_TOKEN = 'sim-oauth-token'
ACCEPT = 'application/vnd.pagerduty+json;version=2'


class SimulatorError(RuntimeError):
    pass


class Simulator:
    """A simulator subprocess on 127.0.0.1 (or, from ``attach``, one already running) and its admin API."""

    token = WRITE_TOKEN
    read_token = READ_TOKEN
    oauth_token = OAUTH_TOKEN

    def __init__(self, tls=False, spec=None, rate_limit=None, extra_args=(), startup_timeout=20.0, log_file=None, admin_timeout=30.0,
                 strict=False, latency=None):
        self.tls = tls
        self.strict = strict
        self.latency = latency  # seconds every API request waits before its answer (run.py --latency)
        self.spec = spec
        self.rate_limit = rate_limit
        self.extra_args = list(extra_args)
        self.startup_timeout = startup_timeout
        self.log_file = log_file  # where the server's stderr goes (default: a temporary file)
        self.admin_timeout = admin_timeout
        self.url = None
        self.ca_file = None
        self.process = None
        self._workdir = None
        self._stderr = None
        self._opener = None

    @property
    def events_url(self):
        """The Events API v2 base URL (https://events.pagerduty.com stands for it): POST <events_url>/v2/enqueue."""
        return f'{self.url}/events' if self.url else None

    @classmethod
    def attach(cls, url, ca_file=None, admin_timeout=30.0):
        """A client of the simulator already running at ``url`` (stop() leaves it running)."""
        simulator = cls(tls=url.startswith('https:'), admin_timeout=admin_timeout)
        simulator.url = url.rstrip('/')
        simulator.ca_file = ca_file
        simulator._connect()  # pylint: disable=protected-access
        return simulator

    # --- lifecycle -------------------------------------------------------

    def start(self):
        self._workdir = tempfile.mkdtemp(prefix='pdsim-')
        command = [sys.executable, RUN_PY, '--port', '0', '--exit-on-stdin-eof']
        if self.tls:
            self.ca_file = os.path.join(self._workdir, 'ca.pem')
            command += ['--tls', '--ca-file', self.ca_file]
        if self.spec:
            command += ['--spec', self.spec]
        if self.rate_limit:
            command += ['--rate-limit', str(self.rate_limit)]
        if self.strict:
            command.append('--strict')
        if self.latency:
            command += ['--latency', str(self.latency)]
        command += self.extra_args
        log_file = self.log_file or os.path.join(self._workdir, 'stderr.log')
        self._stderr = open(log_file, 'w+', encoding='utf-8')  # pylint: disable=consider-using-with
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            command, stdout=subprocess.PIPE, stderr=self._stderr, stdin=subprocess.PIPE, text=True)
        # The server exits when this pipe closes, i.e. at stop() or when this process dies.
        atexit.register(self.stop)
        lines = queue.Queue()
        threading.Thread(target=lambda: lines.put(self.process.stdout.readline()), daemon=True).start()
        try:
            line = lines.get(timeout=self.startup_timeout)
        except queue.Empty:
            line = ''
        if not line.startswith('PD_SIMULATOR_URL='):
            stderr = self.stderr_text()
            self.stop()
            raise SimulatorError(f'the simulator did not start: {line!r}; stderr: {stderr}')
        self.url = line.strip().split('=', 1)[1]
        self._connect()
        return self

    def _connect(self):
        context = ssl.create_default_context(cafile=self.ca_file) if self.tls else None
        handlers = [urllib.request.ProxyHandler({})]  # never send loopback traffic to a proxy
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self._opener = urllib.request.build_opener(*handlers)

    def stop(self):
        if self.process is not None:
            if self.process.stdin:
                self.process.stdin.close()
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            if self.process.stdout:
                self.process.stdout.close()
            self.process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
        atexit.unregister(self.stop)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def stderr_text(self):
        if self._stderr is None:
            return ''
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()

    def headers(self, token=WRITE_TOKEN, auth='token'):
        """The headers a well-behaved PagerDuty client sends."""
        authorization = f'Bearer {token}' if auth == 'bearer' else f'Token token={token}'
        return {'Accept': ACCEPT, 'Authorization': authorization, 'Content-Type': 'application/json'}

    # --- admin API -------------------------------------------------------

    def admin(self, method, name, body=None):
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = urllib.request.Request(f'{self.url}/__sim__/{name}', data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with self._opener.open(request, timeout=self.admin_timeout) as response:
                return json.loads(response.read().decode('utf-8') or 'null')
        except urllib.error.HTTPError as error:
            raise SimulatorError(f"admin {method} {name} failed: {error.code} {error.read().decode('utf-8')}") from None

    def reset(self):
        return self.admin('POST', 'reset')

    def seed(self, data):
        return self.admin('POST', 'seed', data)

    def requests(self):
        return self.admin('GET', 'requests')['requests']

    def violations(self):
        """(method, path, spec_violations) of every logged request the spec or the docs refuse."""
        return [(entry['method'], entry['path'], entry['spec_violations']) for entry in self.requests() if entry['spec_violations']]

    def clear_requests(self):
        return self.admin('DELETE', 'requests')

    def fault(self, *faults, **fault):
        """Queue faults: fault(status=429, count=2) or fault({...}, {...})."""
        payload = list(faults)
        if fault:
            payload.append(fault)
        return self.admin('POST', 'faults', payload)

    def clear_faults(self):
        return self.admin('DELETE', 'faults')

    def set_token(self, token, access='write', auth='token', remove=False, user=None):
        """Add (or remove) an API token; ``user`` (an id) makes it a user-level key that acts as that user."""
        body = {'token': token, 'access': access, 'auth': auth}
        if user is not None:
            body['user'] = user
        if remove:
            body['remove'] = True
        return self.admin('POST', 'tokens', body)

    def set_rate_limit(self, limit, window=None):
        """``limit`` requests per ``window`` seconds (default 60, PagerDuty's minute); None: no limit."""
        body = {'rate_limit': limit}
        if window is not None:
            body['rate_window'] = window
        return self.admin('POST', 'config', body)

    def set_events_rate_limit(self, limit):
        """Events API v2 events allowed per routing key in a sliding 60 s window (None: the default, 120)."""
        return self.admin('POST', 'config', {'events_rate_limit': limit})

    def set_abilities(self, abilities):
        """The account's abilities (GET /abilities); a reset restores the default ones."""
        return self.admin('POST', 'config', {'abilities': list(abilities)})

    def set_strict(self, strict):
        """Strict mode on or off (until the next reset, which restores the mode the simulator started in)."""
        return self.admin('POST', 'config', {'strict': bool(strict)})

    def set_latency(self, seconds):
        """Seconds (0 to 10) every API request waits before its answer, until the next reset (which restores the start-up value)."""
        return self.admin('POST', 'config', {'latency': seconds})

    def state(self):
        return self.admin('GET', 'state')

    def add_oauth_client(self, client_id, client_secret, scopes, subdomain='simulator', region='us', expires_in=86400):
        """Register a Scoped OAuth app client: POST <url>/oauth/token then issues tokens for
        ``scope=as_account-<region>.<subdomain> <some of scopes>``."""
        return self.admin('POST', 'oauth_clients', {'client_id': client_id, 'client_secret': client_secret, 'scopes': list(scopes),
                                                    'subdomain': subdomain, 'region': region, 'expires_in': expires_in})

    def expire_oauth_tokens(self):
        """Make every token issued so far expired (the API answers 401 to them)."""
        return self.admin('POST', 'oauth_tokens/expire')


# --- command line ----------------------------------------------------------------------------------

def run_command(args):
    """Start a simulator, run args.command against it and answer the command's exit status."""
    extra_args = ['--url-file', args.url_file] if args.url_file else []
    simulator = Simulator(tls=args.tls, spec=args.spec, rate_limit=args.rate_limit, extra_args=extra_args,
                          startup_timeout=args.startup_timeout, log_file=args.log, strict=args.strict, latency=args.latency)
    with simulator:
        _log(f"simulator running at {simulator.url} (pid {simulator.process.pid}{', log ' + args.log if args.log else ''})")
        env = dict(os.environ, PD_SIMULATOR_URL=simulator.url, PAGERDUTY_API_URL=simulator.url)
        env.setdefault('PAGERDUTY_API_TOKEN', WRITE_TOKEN)
        if simulator.ca_file:
            env['PD_SIMULATOR_CA_FILE'] = simulator.ca_file
        child = subprocess.Popen(args.command, env=env)  # pylint: disable=consider-using-with
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
        try:
            while True:
                try:
                    status = child.wait()
                    break
                except KeyboardInterrupt:  # the child got the SIGINT too: wait for it to finish
                    continue
        finally:
            signal.signal(signal.SIGTERM, previous)
        _log(f'stopping the simulator (pid {simulator.process.pid})')
    return status if status >= 0 else 128 - status


def _log(message):
    sys.stderr.write(f'==> {message}\n')
    sys.stderr.flush()


def _seed_data(args):
    if args.data is not None:
        return json.loads(args.data)
    if args.file in (None, '-'):
        return json.load(sys.stdin)
    with open(args.file, encoding='utf-8') as handle:
        return json.load(handle)


def _fault(args):
    fault = {name: getattr(args, name) for name in ('method', 'path', 'status', 'count', 'latency', 'shape') if getattr(args, name) is not None}
    if args.drop:
        fault['drop'] = True
    return fault


ADMIN_COMMANDS = {
    'reset': lambda sim, args: sim.reset(),
    'seed': lambda sim, args: sim.seed(_seed_data(args)),
    'requests': lambda sim, args: len(sim.requests()) if args.count else sim.requests(),
    'clear-log': lambda sim, args: sim.clear_requests(),
    'fault': lambda sim, args: sim.fault(_fault(args)),
    'clear-faults': lambda sim, args: sim.clear_faults(),
    'token': lambda sim, args: sim.set_token(args.token, args.access, args.auth, args.remove, args.user),
    'rate-limit': lambda sim, args: sim.set_rate_limit(None if args.limit == 'none' else int(args.limit)),
    'strict': lambda sim, args: sim.set_strict(args.mode == 'on'),
    'latency': lambda sim, args: sim.set_latency(args.seconds),
    'state': lambda sim, args: sim.state(),
    'oauth-client': lambda sim, args: sim.add_oauth_client(args.client_id, args.client_secret, args.scope or [], args.subdomain,
                                                           args.region, args.expires_in),
    'expire-oauth-tokens': lambda sim, args: sim.expire_oauth_tokens(),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Start the PagerDuty simulator around a command, or drive a running one.')
    parser.add_argument('--url', default=os.environ.get('PD_SIMULATOR_URL'), help='the running simulator (default: $PD_SIMULATOR_URL)')
    parser.add_argument('--ca-file', help='the test CA of an HTTPS simulator (default: $PD_SIMULATOR_CA_FILE)')
    commands = parser.add_subparsers(dest='name', required=True, metavar='COMMAND')

    run = commands.add_parser('run', help='start a simulator, run COMMAND with its URL exported, stop it')
    run.add_argument('--tls', action='store_true', help='serve HTTPS with a throw-away test CA (exported as PD_SIMULATOR_CA_FILE)')
    run.add_argument('--spec', help='OpenAPI document to validate requests against')
    run.add_argument('--rate-limit', type=int, help='requests allowed per 60 s window')
    run.add_argument('--latency', type=float, help='seconds every API request waits before its answer (0 to 10)')
    run.add_argument('--strict', action='store_true', help='refuse what the OpenAPI document does not describe, even where PagerDuty accepts it')
    run.add_argument('--log', help="write the simulator's stderr to this file")
    run.add_argument('--url-file', help='also write the URL to this file')
    run.add_argument('--startup-timeout', type=float, default=30.0, help='seconds to wait for the simulator (default 30)')
    run.add_argument('command', nargs=argparse.REMAINDER, help='-- COMMAND [ARGS...]')

    commands.add_parser('reset', help='forget every object, the request log, faults, custom tokens and OAuth clients and tokens')
    seed = commands.add_parser('seed', help='create objects: POST /__sim__/seed with a JSON document')
    seed.add_argument('file', nargs='?', help='JSON file (- or none: stdin)')
    seed.add_argument('--data', help='the JSON document itself')
    requests = commands.add_parser('requests', help='print the request log')
    requests.add_argument('--count', action='store_true', help='print only the number of logged requests')
    commands.add_parser('clear-log', help='clear the request log')
    fault = commands.add_parser('fault', help='queue a fault')
    fault.add_argument('--method')
    fault.add_argument('--path', help='path prefix')
    fault.add_argument('--status', type=int)
    fault.add_argument('--count', type=int)
    fault.add_argument('--latency', type=float, help='seconds')
    fault.add_argument('--drop', action='store_true', help='drop the connection')
    fault.add_argument('--shape', choices=('string', 'map', 'empty'), help='send the error answer in another shape PagerDuty uses')
    commands.add_parser('clear-faults', help='clear the pending faults')
    token = commands.add_parser('token', help='add (or --remove) an API token')
    token.add_argument('token')
    token.add_argument('--access', choices=('read', 'write'), default='write')
    token.add_argument('--auth', choices=('token', 'bearer'), default='token')
    token.add_argument('--remove', action='store_true')
    token.add_argument('--user', help='a user id: the token is a user-level key acting as that user (GET /users/me)')
    rate_limit = commands.add_parser('rate-limit', help='requests allowed per 60 s window (none: unlimited)')
    rate_limit.add_argument('limit')
    strict = commands.add_parser('strict', help='strict mode on or off (a reset restores the start-up mode)')
    strict.add_argument('mode', choices=('on', 'off'))
    latency = commands.add_parser('latency', help='seconds every API request waits before its answer (a reset restores the start-up value)')
    latency.add_argument('seconds', type=float)
    commands.add_parser('state', help='print every object, the tokens, faults and settings')
    oauth_client = commands.add_parser('oauth-client', help='register a Scoped OAuth app client (for POST /oauth/token)')
    oauth_client.add_argument('client_id')
    oauth_client.add_argument('client_secret')
    oauth_client.add_argument('--scope', action='append', help='a scope granted to the client (repeat for more)')
    oauth_client.add_argument('--subdomain', default='simulator', help='the account subdomain (default simulator)')
    oauth_client.add_argument('--region', choices=('us', 'eu'), default='us')
    oauth_client.add_argument('--expires-in', type=int, default=86400, help='token lifetime in seconds (default 86400, one day)')
    commands.add_parser('expire-oauth-tokens', help='make every issued OAuth token expired')

    args = parser.parse_args(argv)
    if args.name == 'run':
        if args.command[:1] == ['--']:
            args.command = args.command[1:]
        if not args.command:
            parser.error('run needs a COMMAND (after --)')
    elif not args.url:
        parser.error('no simulator URL: give --url or set PD_SIMULATOR_URL')
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.name == 'run':
        return run_command(args)
    simulator = Simulator.attach(args.url, ca_file=args.ca_file or os.environ.get('PD_SIMULATOR_CA_FILE'))
    try:
        answer = ADMIN_COMMANDS[args.name](simulator, args)
    except (SimulatorError, OSError, ValueError) as error:
        sys.stderr.write(f'control.py {args.name}: {error}\n')
        return 1
    print(json.dumps(answer))
    return 0


if __name__ == '__main__':
    sys.exit(main())
