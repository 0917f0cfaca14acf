"""Credential checks of rendered Kubernetes manifests, used by check_rendered.py.

- no Secret value on a command line: a container's command, args, probe or hook must not expand (`$(VAR)`, or
  `$VAR` in a shell string for a variable named like a secret) a variable that comes from a Secret (secretKeyRef,
  or envFrom secretRef), since argv shows in the pod spec, `ps` and /proc; rewind reads credentials from the
  environment and keys from files;
- no credential in plain text: not inline in `env` (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, *_KEY, ...), not on a
  command line (an AWS access key id, `--password=...`, a URL with a password), not in a ConfigMap (a key named like
  a credential, `password=` in a my.cnf, an AWS key), and no Secret among the kustomization's own objects (its
  values would be in the repository, base64 is not encryption): deploy/prepare makes the Secrets.
"""

from __future__ import annotations

import re

# Names check_rendered.py's inline check already covers, and the ones added here.
OLD_SECRET_NAME = re.compile(r"(PASSWORD|PWD|SECRET|TOKEN)")
SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|PWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|ACCESS_KEY|(^|_)KEY$)", re.IGNORECASE)
AWS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")
PLAIN_ON_COMMAND_LINE = [
    (AWS_KEY_ID, "an AWS access key id"),
    (re.compile(r"--password(?:=|\s+)(?!\$)\S"), "--password with a value"),
    (re.compile(r"aws_secret_access_key\s*=", re.IGNORECASE), "aws_secret_access_key"),
    (re.compile(r"://[^/\s:@$]+:[^/\s@$]+@"), "a URL with a password"),
]
PLAIN_IN_CONFIG = PLAIN_ON_COMMAND_LINE[:1] + PLAIN_ON_COMMAND_LINE[2:] + [
    (re.compile(r"(?m)^\s*password\s*=\s*\S"), "password= (a my.cnf with its password)"),
]
K8S_EXPANSION = re.compile(r"(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)")
SHELL_EXPANSION = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not name.upper().endswith(("_FILE", "_URL", "_ID_FILE"))


def secret_sources(container: dict, secrets: dict[str, dict]) -> tuple[dict[str, str], set[str], list[str]]:
    """Variables from Secrets (name -> Secret), variables set otherwise, and envFrom Secrets whose keys are unknown."""
    from_secret: dict[str, str] = {}
    unknown: list[str] = []
    for source in container.get("envFrom") or []:
        ref = source.get("secretRef")
        if ref is None:
            continue
        secret = secrets.get(ref.get("name") or "")
        keys = {**(secret.get("data") or {}), **(secret.get("stringData") or {})} if secret else {}
        if not keys:
            unknown.append(str(ref.get("name")))
        for key in keys:
            from_secret[(source.get("prefix") or "") + key] = str(ref.get("name"))
    other: set[str] = set()
    for env in container.get("env") or []:
        name = env.get("name", "")
        ref = (env.get("valueFrom") or {}).get("secretKeyRef")
        if ref is not None:
            from_secret[name] = str(ref.get("name"))
        else:
            from_secret.pop(name, None)  # env overrides envFrom
            other.add(name)
    return from_secret, other, unknown


def command_lines(container: dict) -> list[tuple[str, list[str]]]:
    """Every argv the container runs: command and args, probes' and hooks' exec commands."""
    lines = [("command", [str(p) for p in (container.get("command") or []) + (container.get("args") or [])])]
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        command = ((container.get(probe) or {}).get("exec") or {}).get("command")
        if command:
            lines.append((probe, [str(p) for p in command]))
    for hook in ("postStart", "preStop"):
        command = ((((container.get("lifecycle") or {}).get(hook) or {}).get("exec")) or {}).get("command")
        if command:
            lines.append((hook, [str(p) for p in command]))
    return lines


def container_problems(where: str, container: dict, secrets: dict[str, dict]) -> list[str]:
    problems: list[str] = []
    from_secret, other, unknown = secret_sources(container, secrets)
    for what, argv in command_lines(container):
        text = " ".join(argv)
        for name in K8S_EXPANSION.findall(text):
            secret = from_secret.get(name) or (unknown[0] if unknown and name not in other else None)
            if secret is not None:
                problems.append(f"{where}: {what} expands $({name}), which puts the value of Secret {secret} on the "
                                "command line (argv shows in the pod spec, ps and /proc); let the program read it "
                                "from the environment or a mounted file")
        for name in SHELL_EXPANSION.findall(text):
            if name in from_secret and is_secret_name(name):
                problems.append(f"{where}: {what} passes ${name} (from Secret {from_secret[name]}) as an argument, "
                                "visible in ps and /proc; let the program read it from the environment or a file")
        for pattern, label in PLAIN_ON_COMMAND_LINE:
            if pattern.search(text):
                problems.append(f"{where}: {what} holds a credential in plain text ({label}); take it from a "
                                "Secret, as a file or an environment variable")
    for env in container.get("env") or []:
        name = env.get("name", "")
        if "value" not in env:
            continue
        if is_secret_name(name) and not OLD_SECRET_NAME.search(name):
            problems.append(f"{where}: {name} is set inline; take it from the Secret (secretKeyRef)")
        elif any(pattern.search(str(env["value"])) for pattern, _ in PLAIN_ON_COMMAND_LINE):
            problems.append(f"{where}: {name} holds a credential in plain text; take it from the Secret (secretKeyRef)")
    return problems


def config_map_problems(where: str, config_map: dict) -> list[str]:
    problems: list[str] = []
    for key, value in {**(config_map.get("data") or {}), **(config_map.get("binaryData") or {})}.items():
        if is_secret_name(str(key)):
            problems.append(f"{where}: holds a credential ({key}); a ConfigMap is stored and shown in plain text: "
                            "put it in a Secret (deploy/prepare)")
            continue
        for pattern, label in PLAIN_IN_CONFIG:
            if pattern.search(str(value)):
                problems.append(f"{where}: {key} holds a credential in plain text ({label}); put it in a Secret")
    return problems


def secret_object_problems(where: str, secret: dict) -> list[str]:
    if not (secret.get("data") or secret.get("stringData")):
        return []
    return [f"{where}: a Secret with values is part of the kustomization, so its values are in the repository in "
            "plain text (base64 is not encryption); deploy/prepare makes the Secrets"]
