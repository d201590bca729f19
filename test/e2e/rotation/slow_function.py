"""The template-style function (lambda_function.py) with a pause in setSecret (SLOW_SECONDS, default 4), so a test
can kill the server while a rotation is between its steps."""
import os
import time

import lambda_function


def lambda_handler(event, context):
    if event["Step"] == "setSecret":
        time.sleep(float(os.environ.get("SLOW_SECONDS", "4")))
    return lambda_function.lambda_handler(event, context)
