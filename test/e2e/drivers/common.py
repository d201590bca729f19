"""What the Python drivers share: the batch protocol (JSON on stdin, JSON on stdout), $ref/$binary resolution,
`until` repeats and the normalised result form (dates as epoch ms, bytes as base64), as drivers/sdk.ts does it."""
import base64
import datetime
import json
import sys
import time
import traceback


def values_at(root, path):
    """Every value at a dotted path; `*` fans out over a list's items or a dict's values (drivers/paths.ts)."""
    current = [root]
    for key in [k for k in path.split(".") if k]:
        found = []
        for value in current:
            if key == "*" and isinstance(value, (list, dict)):
                found.extend(value if isinstance(value, list) else value.values())
            elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
                found.append(value[int(key)])
            elif isinstance(value, dict) and key in value:
                found.append(value[key])
        current = found
    return current


def satisfied(body, until):
    found = values_at(body, until["path"])
    if "exists" in until:
        return bool(found) == until["exists"]
    return "length" not in until or (bool(found) and isinstance(found[0], list) and len(found[0]) == until["length"])


def materialise(value, saved, on_binary):
    if isinstance(value, list):
        return [materialise(item, saved, on_binary) for item in value]
    if not isinstance(value, dict):
        return value
    if "$ref" in value:
        label, _, path = value["$ref"].partition(".")
        found = values_at((saved.get(label) or {}).get("body"), path)
        if not found:
            raise LookupError(f"cannot resolve $ref {value['$ref']}")
        return found[0]
    if "$binary" in value:
        return on_binary(base64.b64decode(value["$binary"]))
    return {key: materialise(member, saved, on_binary) for key, member in value.items()}


def to_json(value):
    """datetime → epoch ms, bytes → base64."""
    if isinstance(value, datetime.datetime):
        return round(value.timestamp() * 1000)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(member) for key, member in value.items()}
    return value


def run_scenario(scenario, call):
    """Runs one scenario's steps in order; `call(step, saved)` returns a step's result."""
    saved, out = {}, []
    for step in scenario["steps"]:
        try:
            result = run_step(step, saved, call)
        except Exception as error:  # a driver bug or a client-side refusal: reported, never fatal
            result = {"clientError": f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}"}
        out.append(result)
        if step.get("as"):
            saved[step["as"]] = result
    return out


def run_step(step, saved, call):
    until = step.get("until")
    attempts = until["attempts"] if until else 1
    for attempt in range(1, attempts + 1):
        result = call(step, saved)
        if not until or "body" not in result or satisfied(result["body"], until) or attempt >= attempts:
            return result
        time.sleep(until["delayMs"] / 1000)


def main(run):
    """Reads the batch from stdin, lets `run(batch)` produce {scenario id: [results]}, writes it to stdout."""
    batch = json.load(sys.stdin)
    results = run(batch)
    json.dump({"results": results}, sys.stdout)
