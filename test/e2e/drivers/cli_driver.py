"""The AWS CLI driver: every step is `aws secretsmanager <op> --cli-input-json <input> --endpoint-url <endpoint>`,
with binary members passed as `--<member> fileb://<file>` (CLI v1 reads a plain string argument as text, not bytes).

mode "inprocess": the CLI's own entry point (awscli.clidriver, what the `aws` script runs) is called once per step
inside this process, which saves a Python start per step; the HTTP status and request id come from botocore's
after-call event. mode "executable": the `aws` executable on PATH, one process per step, status and request id read
from its --debug log. Reads a batch of scenarios as JSON on stdin and prints the results as JSON (drivers/common.py).
"""
import contextlib
import datetime
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import main, materialise, run_scenario  # noqa: E402

ERROR = re.compile(r"An error occurred \(([^)]+)\) when calling the \w+ operation(?: \(reached max retries: \d+\))?: (.*)", re.S)
STATUS = re.compile(r'"POST / HTTP/1\.1" (\d{3})')
REQUEST_ID = re.compile(r"'x-amzn-RequestId': '([^']+)'", re.I)


class FileArg:
    """A binary member, written to a file for fileb://."""

    def __init__(self, data):
        handle = tempfile.NamedTemporaryFile(prefix="cli-driver-", suffix=".bin", delete=False)
        handle.write(data)
        handle.close()
        self.path = handle.name


def kebab(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def arguments(batch, step, saved, files):
    params = materialise(step["input"], saved, lambda data: files.append(FileArg(data)) or files[-1])
    binary = {key: value for key, value in params.items() if isinstance(value, FileArg)}
    plain = {key: value for key, value in params.items() if key not in binary}
    args = ["secretsmanager", kebab(step["op"]), "--cli-input-json", json.dumps(plain)]
    for key, value in binary.items():
        args += [f"--{kebab(key)}", f"fileb://{value.path}"]
    region = step.get("region") or batch["region"]
    return args + ["--endpoint-url", batch["endpoint"], "--region", region, "--output", "json", "--no-paginate"]


def dates_to_ms(value, key=""):
    """CLI v1 prints timestamps as received (epoch seconds), v2 as ISO 8601: both become epoch ms."""
    if key.endswith("Date") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(value * 1000)
    if key.endswith("Date") and isinstance(value, str):
        return round(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
    if isinstance(value, list):
        return [dates_to_ms(item, key) for item in value]
    if isinstance(value, dict):
        return {k: dates_to_ms(v, k) for k, v in value.items()}
    return value


def result(rc, stdout, stderr, status, request_id):
    if rc == 0:
        text = stdout.strip()
        return {"status": status, "requestId": request_id, "body": dates_to_ms(json.loads(text) if text else {})}
    match = ERROR.match(stderr, max(stderr.rfind("An error occurred ("), 0))
    if match and status is not None:
        return {"status": status, "requestId": request_id, "error": {"code": match[1], "message": match[2].rstrip("\n")}}
    return {"clientError": f"exit {rc}: {stderr.strip()[-3000:]}"}


def run_inprocess(batch):
    from awscli.clidriver import create_clidriver

    drivers, seen = {}, []

    def driver_for(credentials):
        key = (credentials["accessKeyId"], credentials["secretAccessKey"])
        if key not in drivers:
            os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"] = key
            driver = create_clidriver()
            driver.session.get_credentials()  # resolved (and cached by the session) while the environment holds this pair
            driver.session.register(
                "after-call", lambda http_response, **_: seen.append((http_response.status_code, http_response.headers.get("x-amzn-RequestId")))
            )
            drivers[key] = driver
        return drivers[key]

    def call(step, saved):
        files = []
        try:
            args = arguments(batch, step, saved, files)
            driver = driver_for(step.get("credentials") or batch["credentials"])
            stdout, stderr = io.StringIO(), io.StringIO()
            seen.clear()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                rc = driver.main(args)
            status, request_id = seen[-1] if seen else (None, None)
            return result(rc, stdout.getvalue(), stderr.getvalue(), status, request_id)
        finally:
            for file in files:
                os.unlink(file.path)

    return {scenario["id"]: run_scenario(scenario, call) for scenario in batch["scenarios"]}


def run_executable(batch):
    def call(step, saved):
        files = []
        try:
            args = arguments(batch, step, saved, files)
            credentials = step.get("credentials") or batch["credentials"]
            env = {**os.environ, "AWS_ACCESS_KEY_ID": credentials["accessKeyId"], "AWS_SECRET_ACCESS_KEY": credentials["secretAccessKey"]}
            done = subprocess.run(["aws", *args, "--debug"], env=env, capture_output=True, text=True, timeout=60)
            status = STATUS.findall(done.stderr)
            request_id = REQUEST_ID.findall(done.stderr)
            return result(done.returncode, done.stdout, done.stderr, int(status[-1]) if status else None, request_id[-1] if request_id else None)
        finally:
            for file in files:
                os.unlink(file.path)

    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = {scenario["id"]: pool.submit(run_scenario, scenario, call) for scenario in batch["scenarios"]}
        return {scenario_id: run.result() for scenario_id, run in runs.items()}


if __name__ == "__main__":
    main(lambda batch: (run_inprocess if batch.get("mode") == "inprocess" else run_executable)(batch))
