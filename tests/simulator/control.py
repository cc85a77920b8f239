"""Start and drive the PagerDuty simulator from tests (stdlib only).

    with Simulator(tls=True) as sim:
        sim.seed({'teams': [{'name': 'Ops'}]})
        ...  # talk to sim.url with sim.token, verify=sim.ca_file
        assert all(not entry['spec_violations'] for entry in sim.requests())
"""

import atexit
import json
import os
import queue
import shutil
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
    """A simulator subprocess on 127.0.0.1 and its admin API."""

    token = WRITE_TOKEN
    read_token = READ_TOKEN
    oauth_token = OAUTH_TOKEN

    def __init__(self, tls=False, spec=None, rate_limit=None, extra_args=(), startup_timeout=20.0):
        self.tls = tls
        self.spec = spec
        self.rate_limit = rate_limit
        self.extra_args = list(extra_args)
        self.startup_timeout = startup_timeout
        self.url = None
        self.ca_file = None
        self.process = None
        self._workdir = None
        self._stderr = None
        self._opener = None

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
        command += self.extra_args
        self._stderr = open(os.path.join(self._workdir, 'stderr.log'), 'w+', encoding='utf-8')  # pylint: disable=consider-using-with
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
            self.stop()
            raise SimulatorError('the simulator did not start: %r; stderr: %s' % (line, self.stderr_text()))
        self.url = line.strip().split('=', 1)[1]
        context = ssl.create_default_context(cafile=self.ca_file) if self.tls else None
        handlers = [urllib.request.ProxyHandler({})]  # never send loopback traffic to a proxy
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self._opener = urllib.request.build_opener(*handlers)
        return self

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
        authorization = 'Bearer %s' % token if auth == 'bearer' else 'Token token=%s' % token
        return {'Accept': ACCEPT, 'Authorization': authorization, 'Content-Type': 'application/json'}

    # --- admin API -------------------------------------------------------

    def admin(self, method, name, body=None):
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = urllib.request.Request(self.url + '/__sim__/' + name, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with self._opener.open(request, timeout=30) as response:
                return json.loads(response.read().decode('utf-8') or 'null')
        except urllib.error.HTTPError as error:
            raise SimulatorError('admin %s %s failed: %s %s' % (method, name, error.code, error.read().decode('utf-8'))) from None

    def reset(self):
        return self.admin('POST', 'reset')

    def seed(self, data):
        return self.admin('POST', 'seed', data)

    def requests(self):
        return self.admin('GET', 'requests')['requests']

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

    def set_token(self, token, access='write', auth='token'):
        return self.admin('POST', 'tokens', {'token': token, 'access': access, 'auth': auth})

    def set_rate_limit(self, limit):
        return self.admin('POST', 'config', {'rate_limit': limit})

    def state(self):
        return self.admin('GET', 'state')
