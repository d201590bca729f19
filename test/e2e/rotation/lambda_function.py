"""A rotation function shaped like AWS's SecretsManagerRotationTemplate (same calls, same checks, same order), as a
user would deploy it unchanged: boto3 against SECRETS_MANAGER_ENDPOINT, the step dispatched on the event, nothing
specific to this service. The new value is a random password (GetRandomPassword); setSecret and testSecret have no
external system to touch, so testSecret only reads the pending value back.
"""
import logging
import os

import boto3

log = logging.getLogger()
log.setLevel(logging.INFO)


def lambda_handler(event, context):
    secret_id = event["SecretId"]
    token = event["ClientRequestToken"]
    step = event["Step"]
    client = boto3.client("secretsmanager", endpoint_url=os.environ["SECRETS_MANAGER_ENDPOINT"])

    # The template's guard: rotation on, the token staged, and nothing to do once the token is current.
    description = client.describe_secret(SecretId=secret_id)
    if not description["RotationEnabled"]:
        raise ValueError("rotation is not enabled for %s" % secret_id)
    stages = description["VersionIdsToStages"]
    if token not in stages:
        raise ValueError("version %s of %s has no staging label" % (token, secret_id))
    if "AWSCURRENT" in stages[token]:
        log.info("%s: version %s is already AWSCURRENT", step, token)
        return
    if "AWSPENDING" not in stages[token]:
        raise ValueError("version %s of %s is not AWSPENDING" % (token, secret_id))

    steps = {"createSecret": create_secret, "setSecret": set_secret, "testSecret": test_secret, "finishSecret": finish_secret}
    if step not in steps:
        raise ValueError("unknown step %s" % step)
    steps[step](client, secret_id, token)


def create_secret(client, secret_id, token):
    client.get_secret_value(SecretId=secret_id, VersionStage="AWSCURRENT")
    try:
        client.get_secret_value(SecretId=secret_id, VersionId=token, VersionStage="AWSPENDING")
        log.info("createSecret: the pending value of %s exists already", secret_id)
    except client.exceptions.ResourceNotFoundException:
        exclude = os.environ.get("EXCLUDE_CHARACTERS", "/@\"'\\")
        password = client.get_random_password(ExcludeCharacters=exclude)["RandomPassword"]
        client.put_secret_value(SecretId=secret_id, ClientRequestToken=token, SecretString=password, VersionStages=["AWSPENDING"])
        log.info("createSecret: put the pending value of %s as version %s", secret_id, token)


def set_secret(client, secret_id, token):
    log.info("setSecret: no external system to update for %s", secret_id)


def test_secret(client, secret_id, token):
    client.get_secret_value(SecretId=secret_id, VersionId=token, VersionStage="AWSPENDING")


def finish_secret(client, secret_id, token):
    stages = client.describe_secret(SecretId=secret_id)["VersionIdsToStages"]
    current = next((version for version, labels in stages.items() if "AWSCURRENT" in labels), None)
    if current == token:
        log.info("finishSecret: version %s is already AWSCURRENT", token)
        return
    # AWSPENDING stays on the new version, as with AWS's templates.
    client.update_secret_version_stage(SecretId=secret_id, VersionStage="AWSCURRENT", MoveToVersionId=token, RemoveFromVersionId=current)
    log.info("finishSecret: AWSCURRENT of %s moved to %s", secret_id, token)
