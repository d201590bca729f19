"""Serves a rotation function over the Lambda Invoke API on loopback, as the Lambda Runtime Interface Emulator does:
POST /2015-03-31/functions/function/invocations runs the handler on the JSON event; a handler that raises answers
200 with X-Amz-Function-Error: Unhandled and {errorMessage, errorType, stackTrace}.

For the tests around it, and without changing the handler:
  HANDLER           module.function to serve (default lambda_function.lambda_handler)
  FAIL_STEP         a Step that fails before the handler runs (e.g. setSecret), to test failures at each step
  PORT              port on 127.0.0.1 (default 0: any free port); the chosen one is printed as "listening on <port>"
  GET /invocations  the events seen so far, in order, with the outcome of each
"""
import importlib
import json
import os
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

INVOKE_PATH = "/2015-03-31/functions/function/invocations"

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
module_name, function_name = os.environ.get("HANDLER", "lambda_function.lambda_handler").rsplit(".", 1)
handler = getattr(importlib.import_module(module_name), function_name)
fail_step = os.environ.get("FAIL_STEP", "")

invocations = []
lock = threading.Lock()


class StepFailedOnPurpose(Exception):
    pass


class Invoke(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/invocations":
            return self.answer(404, {"message": "not found"})
        with lock:
            return self.answer(200, invocations)

    def do_POST(self):
        if self.path.split("?")[0] != INVOKE_PATH:
            return self.answer(404, {"message": "not found"})
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            event = json.loads(body or b"{}")
        except ValueError as error:
            return self.answer(200, error_payload(error), function_error=True)
        try:
            if fail_step and isinstance(event, dict) and event.get("Step") == fail_step:
                raise StepFailedOnPurpose("%s failed on purpose (FAIL_STEP)" % fail_step)
            result = handler(event, None)
        except Exception as error:  # the handler's failure is the invocation's answer, as on Lambda
            self.record(event, "error", "%s: %s" % (type(error).__name__, error))
            return self.answer(200, error_payload(error), function_error=True)
        self.record(event, "ok", None)
        return self.answer(200, result)

    def record(self, event, outcome, error):
        with lock:
            invocations.append({"event": event, "outcome": outcome, "error": error})

    def answer(self, status, payload, function_error=False):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if function_error:
            self.send_header("X-Amz-Function-Error", "Unhandled")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


def error_payload(error):
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "stackTrace": traceback.format_exception(type(error), error, error.__traceback__)[-5:],
    }


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "0"))), Invoke)
    print("listening on %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
