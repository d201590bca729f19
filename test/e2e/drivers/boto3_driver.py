"""The boto3 driver: every step is a call on a stock boto3 client whose only change is endpoint_url (and no retries).
Reads a batch of scenarios as JSON on stdin and prints the results as JSON (drivers/common.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boto3  # noqa: E402
import botocore  # noqa: E402
from botocore.config import Config  # noqa: E402

from common import main, materialise, run_scenario, to_json  # noqa: E402


def run(batch):
    clients = {}

    def client_for(step):
        credentials = step.get("credentials") or batch["credentials"]
        region = step.get("region") or batch["region"]
        key = (credentials["accessKeyId"], credentials["secretAccessKey"], region)
        if key not in clients:
            clients[key] = boto3.session.Session().client(
                "secretsmanager",
                endpoint_url=batch["endpoint"],
                region_name=region,
                aws_access_key_id=credentials["accessKeyId"],
                aws_secret_access_key=credentials["secretAccessKey"],
                config=Config(retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=60),
            )
        return clients[key]

    def call(step, saved):
        client = client_for(step)
        params = materialise(step["input"], saved, lambda data: data)
        method = getattr(client, botocore.xform_name(step["op"]))
        try:
            response = method(**params)
        except botocore.exceptions.ClientError as error:
            meta = error.response.get("ResponseMetadata", {})
            details = error.response.get("Error", {})
            return {
                "status": meta.get("HTTPStatusCode"),
                "requestId": meta.get("RequestId"),
                "error": {"code": details.get("Code"), "message": details.get("Message")},
                # Codes the model declares get their own exception class; others arrive as plain ClientError.
                "modeled": type(error) is not botocore.exceptions.ClientError,
            }
        meta = response.pop("ResponseMetadata", {})
        return {"status": meta.get("HTTPStatusCode"), "requestId": meta.get("RequestId"), "body": to_json(response)}

    return {scenario["id"]: run_scenario(scenario, call) for scenario in batch["scenarios"]}


if __name__ == "__main__":
    main(run)
