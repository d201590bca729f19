"""A handler that answers with the event it got: lets the invoke server be tested without a Secrets Manager."""


def lambda_handler(event, context):
    return {"echo": event}
