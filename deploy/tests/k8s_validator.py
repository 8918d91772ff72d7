"""Offline checks of the Kubernetes manifests and Containerfiles (no cluster, no kustomize binary).

Every check takes plain dicts (as pyyaml loads them) or text and returns a list of error strings;
an empty list means the object passed. Messages start with `<Kind>/<name>` so a failure names its culprit.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

KNOWN_API_VERSIONS: dict[str, set[str]] = {
    "Deployment": {"apps/v1"},
    "StatefulSet": {"apps/v1"},
    "Job": {"batch/v1"},
    "CronJob": {"batch/v1"},
    "Service": {"v1"},
    "ConfigMap": {"v1"},
    "Secret": {"v1"},
    "Namespace": {"v1"},
    "ServiceAccount": {"v1"},
    "PersistentVolumeClaim": {"v1"},
    "Ingress": {"networking.k8s.io/v1"},
    "NetworkPolicy": {"networking.k8s.io/v1"},
    "PodDisruptionBudget": {"policy/v1"},
    "HorizontalPodAutoscaler": {"autoscaling/v2"},
    "Kustomization": {"kustomize.config.k8s.io/v1beta1"},
    "Component": {"kustomize.config.k8s.io/v1alpha1"},
}
REQUIRED_LABELS = (
    "app.kubernetes.io/name",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/component",
    "ecourt.vn/court",
)
KUSTOMIZATION_FILE = "kustomization.yaml"
EXAMPLE_SUFFIX = ".example.yaml"
BUS_DECLARE = ["python", "-m", "ecourt_shared.bus", "declare"]
SINGLE_NODE_ACCESS_MODES = {"ReadWriteOnce", "ReadWriteOncePod"}
FORWARDED_ALLOW_IPS = "FORWARDED_ALLOW_IPS"
PLACEHOLDER = "PLACEHOLDER"
IMAGE_RE = re.compile(r"^(?:[\w.-]+(?::\d+)?/)?(?P<repo>ecourt/[a-z0-9-]+):(?P<tag>[\w][\w.-]{0,127})$")


@dataclass(frozen=True)
class Manifest:
    path: Path
    doc: dict[str, Any]

    @property
    def ref(self) -> str:
        return ref(self.doc)


def ref(doc: dict[str, Any]) -> str:
    return f"{doc.get('kind', '?')}/{(doc.get('metadata') or {}).get('name', '?')}"


# --- loading -------------------------------------------------------------------------------------


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_documents(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def load_manifests(paths: Iterable[Path]) -> list[Manifest]:
    return [Manifest(path, doc) for path in paths for doc in load_documents(path)]


# --- kustomize layout ----------------------------------------------------------------------------


def kustomization_entries(kustomization: dict[str, Any]) -> list[tuple[str, bool]]:
    """(path, must_exist) for every local path a kustomization names. Remote URLs are skipped;
    secretGenerator sources are not required to exist, since real secrets are never committed."""
    entries: list[tuple[str, bool]] = []
    for key in ("resources", "components", "patchesStrategicMerge", "crds"):
        entries += [(item, True) for item in kustomization.get(key) or []]
    for patch in kustomization.get("patches") or []:
        if isinstance(patch, dict) and "path" in patch:
            entries.append((patch["path"], True))
    for key, must_exist in (("configMapGenerator", True), ("secretGenerator", False)):
        for generator in kustomization.get(key) or []:
            for source in (generator.get("files") or []) + (generator.get("envs") or []):
                entries.append((source.split("=", 1)[-1], must_exist))
    return [(item, must) for item, must in entries if "://" not in item and not item.startswith("github.com/")]


def check_kustomization_dir(directory: Path) -> list[str]:
    """Listed files exist, and every manifest in the directory is listed (examples excepted)."""
    where = directory / KUSTOMIZATION_FILE
    errors: list[str] = []
    (kustomization,) = load_documents(where)
    listed = set()
    for entry, must_exist in kustomization_entries(kustomization):
        target = (directory / entry).resolve()
        listed.add(target)
        if not must_exist:
            continue
        if not target.exists():
            errors.append(f"{where}: lists {entry}, which does not exist")
        elif target.is_dir() and not (target / KUSTOMIZATION_FILE).exists():
            errors.append(f"{where}: lists directory {entry}, which has no {KUSTOMIZATION_FILE}")
    for path in sorted(directory.iterdir()):
        if path.suffix in {".yaml", ".yml"} and path.name != KUSTOMIZATION_FILE:
            if path.name.endswith(EXAMPLE_SUFFIX):
                continue
            if path.resolve() not in listed:
                errors.append(f"{where}: does not list {path.name}")
    return errors


def patch_files(root: Path) -> set[Path]:
    """Files any kustomization under root uses as patches (a JSON 6902 patch is a list, not an object)."""
    found: set[Path] = set()
    for kustomization_path in root.rglob(KUSTOMIZATION_FILE):
        (kustomization,) = load_documents(kustomization_path)
        paths = [p["path"] for p in kustomization.get("patches") or [] if isinstance(p, dict) and "path" in p]
        paths += kustomization.get("patchesStrategicMerge") or []
        found |= {(kustomization_path.parent / p).resolve() for p in paths}
    return found


def check_every_manifest_dir_has_kustomization(root: Path) -> list[str]:
    return [
        f"{path}: no {KUSTOMIZATION_FILE} next to it"
        for path in yaml_files(root)
        if not path.name.endswith(EXAMPLE_SUFFIX) and not (path.parent / KUSTOMIZATION_FILE).exists()
    ]


def resource_files(directory: Path) -> list[Path]:
    """Manifest files a kustomization dir renders from its resources (recursively), not its patches."""
    (kustomization,) = load_documents(directory / KUSTOMIZATION_FILE)
    files: list[Path] = []
    for entry in kustomization.get("resources") or []:
        target = directory / entry
        if target.is_dir():
            files += resource_files(target)
        elif target.is_file():
            files.append(target)
    return files


# --- every object --------------------------------------------------------------------------------


def check_api_version(doc: Any) -> list[str]:
    if not isinstance(doc, dict):
        return [f"not a Kubernetes object: {str(doc)[:60]}"]
    kind, api = doc.get("kind"), doc.get("apiVersion")
    if kind not in KNOWN_API_VERSIONS:
        return [f"{ref(doc)}: unknown kind {kind!r}"]
    if api not in KNOWN_API_VERSIONS[kind]:
        return [f"{ref(doc)}: apiVersion {api!r} is not one of {sorted(KNOWN_API_VERSIONS[kind])}"]
    return []


def check_labels(labels: dict[str, Any] | None, where: str) -> list[str]:
    labels = labels or {}
    errors = [f"{where}: missing label {name}" for name in REQUIRED_LABELS if name not in labels]
    if labels.get("app.kubernetes.io/part-of", "ecourt") != "ecourt":
        errors.append(f"{where}: app.kubernetes.io/part-of must be ecourt")
    errors += [f"{where}: label {k} must be a string" for k, v in labels.items() if not isinstance(v, str)]
    return errors


def check_object_labels(doc: dict[str, Any]) -> list[str]:
    if doc.get("kind") in {"Kustomization", "Component"}:
        return []
    errors = check_labels((doc.get("metadata") or {}).get("labels"), ref(doc))
    if doc.get("kind") == "Deployment":
        template = doc["spec"]["template"]
        errors += check_labels(template.get("metadata", {}).get("labels"), f"{ref(doc)} pod template")
        selector = doc["spec"].get("selector", {}).get("matchLabels") or {}
        if not selector or not is_subset(selector, template.get("metadata", {}).get("labels") or {}):
            errors.append(f"{ref(doc)}: selector.matchLabels does not match the pod template labels")
    return errors


def check_string_values(doc: Any) -> list[str]:
    """ConfigMap/Secret data must be strings: an unquoted 8201 or true is rejected by the API server."""
    if not isinstance(doc, dict) or doc.get("kind") not in {"ConfigMap", "Secret"}:
        return []
    errors = []
    for field in ("data", "stringData"):
        for key, value in (doc.get(field) or {}).items():
            if not isinstance(value, str):
                errors.append(f"{ref(doc)}: {field}.{key} must be a quoted string, got {value!r}")
    return errors


# --- Deployments -----------------------------------------------------------------------------------


def pod_spec(deployment: dict[str, Any]) -> dict[str, Any]:
    return deployment["spec"]["template"]["spec"]


def containers(deployment: dict[str, Any], *, init: bool = True) -> Iterator[dict[str, Any]]:
    spec = pod_spec(deployment)
    yield from spec.get("containers") or []
    if init:
        yield from spec.get("initContainers") or []


def _declared_ports(container: dict[str, Any]) -> dict[Any, int]:
    ports: dict[Any, int] = {}
    for port in container.get("ports") or []:
        ports[port["containerPort"]] = port["containerPort"]
        if "name" in port:
            ports[port["name"]] = port["containerPort"]
    return ports


def check_probes(deployment: dict[str, Any]) -> list[str]:
    errors = []
    for container in containers(deployment, init=False):
        where = f"{ref(deployment)} container {container.get('name')}"
        declared = _declared_ports(container)
        for probe_name, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready")):
            probe = container.get(probe_name)
            if not probe:
                errors.append(f"{where}: no {probe_name}")
                continue
            http = probe.get("httpGet")
            if not http:
                errors.append(f"{where}: {probe_name} is not an httpGet probe")
                continue
            if http.get("port") not in declared:
                errors.append(f"{where}: {probe_name} port {http.get('port')!r} is not a declared containerPort")
            if http.get("path") != path:
                errors.append(f"{where}: {probe_name} path must be {path}, got {http.get('path')!r}")
        startup = (container.get("startupProbe") or {}).get("httpGet")
        if startup and startup.get("port") not in declared:
            errors.append(f"{where}: startupProbe port {startup.get('port')!r} is not a declared containerPort")
    return errors


def check_resources(deployment: dict[str, Any]) -> list[str]:
    errors = []
    for container in containers(deployment):
        resources = container.get("resources") or {}
        for bound in ("requests", "limits"):
            for what in ("cpu", "memory"):
                if what not in (resources.get(bound) or {}):
                    errors.append(f"{ref(deployment)} container {container.get('name')}: no {bound}.{what}")
    return errors


def check_security(deployment: dict[str, Any]) -> list[str]:
    errors = []
    pod = pod_spec(deployment)
    pod_context = pod.get("securityContext") or {}
    if pod_context.get("runAsNonRoot") is not True:
        errors.append(f"{ref(deployment)}: pod securityContext.runAsNonRoot must be true")
    if not isinstance(pod_context.get("runAsUser"), int) or pod_context["runAsUser"] == 0:
        errors.append(f"{ref(deployment)}: pod securityContext.runAsUser must be a non-zero uid")
    if pod.get("automountServiceAccountToken") is not False:
        errors.append(f"{ref(deployment)}: automountServiceAccountToken must be false")
    if pod.get("enableServiceLinks") is not False:
        errors.append(f"{ref(deployment)}: enableServiceLinks must be false (service env vars clash with ECOURT_*)")
    for container in containers(deployment):
        where = f"{ref(deployment)} container {container.get('name')}"
        context = container.get("securityContext")
        if not context:
            errors.append(f"{where}: no securityContext")
            continue
        if context.get("allowPrivilegeEscalation") is not False:
            errors.append(f"{where}: allowPrivilegeEscalation must be false")
        if context.get("readOnlyRootFilesystem") is not True:
            errors.append(f"{where}: readOnlyRootFilesystem must be true")
        if "ALL" not in ((context.get("capabilities") or {}).get("drop") or []):
            errors.append(f"{where}: capabilities must drop ALL")
        if context.get("privileged"):
            errors.append(f"{where}: must not be privileged")
    return errors


def check_images(deployment: dict[str, Any], service: str, tag: str) -> list[str]:
    errors = []
    for container in containers(deployment):
        where = f"{ref(deployment)} container {container.get('name')}"
        image = container.get("image", "")
        match = IMAGE_RE.match(image)
        if not match:
            errors.append(f"{where}: image {image!r} is not ecourt/<service>:<tag>")
            continue
        if match["repo"] != f"ecourt/{service}":
            errors.append(f"{where}: image {image!r} should be ecourt/{service}")
        if match["tag"] == "latest":
            errors.append(f"{where}: image tag must not be latest")
        elif match["tag"] != tag:
            errors.append(f"{where}: image tag {match['tag']!r} differs from the release tag {tag!r}")
        if container.get("imagePullPolicy") != "IfNotPresent":
            errors.append(f"{where}: imagePullPolicy must be IfNotPresent for a fixed tag")
    return errors


def referenced_config(deployment: dict[str, Any]) -> tuple[set[str], set[tuple[str, str | None]]]:
    """ConfigMap names, and (Secret name, key or None for the whole Secret) pairs the pod reads."""
    configmaps: set[str] = set()
    secrets: set[tuple[str, str | None]] = set()
    for container in containers(deployment):
        for source in container.get("envFrom") or []:
            if "configMapRef" in source:
                configmaps.add(source["configMapRef"]["name"])
            if "secretRef" in source:
                secrets.add((source["secretRef"]["name"], None))
        for env in container.get("env") or []:
            value_from = env.get("valueFrom") or {}
            if "configMapKeyRef" in value_from:
                configmaps.add(value_from["configMapKeyRef"]["name"])
            if "secretKeyRef" in value_from:
                secrets.add((value_from["secretKeyRef"]["name"], value_from["secretKeyRef"]["key"]))
    for volume in pod_spec(deployment).get("volumes") or []:
        if "configMap" in volume:
            configmaps.add(volume["configMap"]["name"])
        if "secret" in volume:
            name = volume["secret"]["secretName"]
            items = volume["secret"].get("items") or []
            secrets |= {(name, item["key"]) for item in items} or {(name, None)}
    return configmaps, secrets


def check_references(
    deployment: dict[str, Any], configmaps: dict[str, dict[str, Any]], secrets: dict[str, dict[str, Any]]
) -> list[str]:
    used_configmaps, used_secrets = referenced_config(deployment)
    errors = [
        f"{ref(deployment)}: ConfigMap {name} is not defined" for name in sorted(used_configmaps - set(configmaps))
    ]
    for name, key in sorted(used_secrets, key=str):
        if name not in secrets:
            errors.append(f"{ref(deployment)}: Secret {name} is not defined")
        elif key is not None and key not in secret_keys(secrets[name]):
            errors.append(f"{ref(deployment)}: Secret {name} has no key {key}")
    return errors


def secret_keys(secret: dict[str, Any]) -> set[str]:
    return set(secret.get("data") or {}) | set(secret.get("stringData") or {})


def container_settings(container: dict[str, Any], configmaps: dict[str, dict[str, Any]]) -> dict[str, str]:
    """The literal environment a container sees from ConfigMaps and plain `value`s."""
    settings: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        if "configMapRef" in source:
            settings.update((configmaps.get(source["configMapRef"]["name"]) or {}).get("data") or {})
    for env in container.get("env") or []:
        if "value" in env:
            settings[env["name"]] = env["value"]
    return settings


def check_file_settings_mounted(deployment: dict[str, Any], configmaps: dict[str, dict[str, Any]]) -> list[str]:
    """Every ECOURT_*_FILE / *_DIR setting points into a volume mounted in that container."""
    errors = []
    for container in containers(deployment):
        mounts = [m["mountPath"].rstrip("/") + "/" for m in container.get("volumeMounts") or []]
        for name, value in container_settings(container, configmaps).items():
            if name.endswith(("_FILE", "_DIR")) and not any((value.rstrip("/") + "/").startswith(m) for m in mounts):
                errors.append(
                    f"{ref(deployment)} container {container.get('name')}: {name}={value} is not under a volumeMount"
                )
    return errors


def check_env_values(deployment: dict[str, Any]) -> list[str]:
    return [
        f"{ref(deployment)} container {container.get('name')}: env {env['name']} value must be a string"
        for container in containers(deployment)
        for env in container.get("env") or []
        if "value" in env and not isinstance(env["value"], str)
    ]


def check_deployment(
    deployment: dict[str, Any],
    service: str,
    tag: str,
    configmaps: dict[str, dict[str, Any]],
    secrets: dict[str, dict[str, Any]],
) -> list[str]:
    return (
        check_object_labels(deployment)
        + check_probes(deployment)
        + check_resources(deployment)
        + check_security(deployment)
        + check_images(deployment, service, tag)
        + check_references(deployment, configmaps, secrets)
        + check_file_settings_mounted(deployment, configmaps)
        + check_env_values(deployment)
    )


# --- PersistentVolumeClaims ----------------------------------------------------------------------


def check_claim(claim: dict[str, Any]) -> list[str]:
    spec = claim.get("spec") or {}
    errors = []
    if not spec.get("accessModes"):
        errors.append(f"{ref(claim)}: no accessModes")
    if not ((spec.get("resources") or {}).get("requests") or {}).get("storage"):
        errors.append(f"{ref(claim)}: no resources.requests.storage")
    return errors


def claim_mounts(deployment: dict[str, Any]) -> dict[str, str]:
    """Volume name -> claim name, for the pod's persistentVolumeClaim volumes."""
    return {
        volume["name"]: volume["persistentVolumeClaim"]["claimName"]
        for volume in pod_spec(deployment).get("volumes") or []
        if "persistentVolumeClaim" in volume
    }


def check_volume_claims(deployment: dict[str, Any], claims: dict[str, dict[str, Any]]) -> list[str]:
    """Claims exist; a single-node (ReadWriteOnce) claim means one replica, replaced (Recreate) rather than rolled,
    since a surge pod on another node could not attach it; a claim written to needs the pod's fsGroup."""
    errors = []
    volumes = claim_mounts(deployment)
    for claim_name in sorted(set(volumes.values())):
        claim = claims.get(claim_name)
        if claim is None:
            errors.append(f"{ref(deployment)}: PersistentVolumeClaim {claim_name} is not defined")
            continue
        if set(claim["spec"].get("accessModes") or []) & SINGLE_NODE_ACCESS_MODES:
            if deployment["spec"].get("replicas", 1) != 1:
                errors.append(f"{ref(deployment)}: replicas must be 1 with the single-node claim {claim_name}")
            if (deployment["spec"].get("strategy") or {}).get("type") != "Recreate":
                errors.append(f"{ref(deployment)}: strategy must be Recreate with the single-node claim {claim_name}")
    writes = any(
        mount["name"] in volumes and not mount.get("readOnly")
        for container in containers(deployment)
        for mount in container.get("volumeMounts") or []
    )
    fs_group = (pod_spec(deployment).get("securityContext") or {}).get("fsGroup")
    if writes and (not isinstance(fs_group, int) or fs_group == 0):
        errors.append(f"{ref(deployment)}: pod securityContext.fsGroup must be a non-zero gid to write to a claim")
    return errors


def selector_matches(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
    """A Kubernetes label selector (matchLabels and matchExpressions) against a set of labels."""
    if not is_subset(selector.get("matchLabels") or {}, labels):
        return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression.get("key"), expression.get("operator"), expression.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and key in labels and labels[key] in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
        if operator not in {"In", "NotIn", "Exists", "DoesNotExist"}:
            return False
    return True


def check_shared_claims(deployments: Iterable[dict[str, Any]], claims: dict[str, dict[str, Any]]) -> list[str]:
    """Deployments that mount the same single-node claim must land on one node, or the second pod never starts
    (the volume is attached elsewhere). Each needs a required pod-affinity term on kubernetes.io/hostname that
    selects the pods of every Deployment sharing the claim, its own included: a term that matches the pod itself
    lets the first of them be scheduled anywhere (with two terms that only select each other, neither could start)."""
    sharers: dict[str, list[dict[str, Any]]] = {}
    for deployment in deployments:
        for claim_name in set(claim_mounts(deployment).values()):
            sharers.setdefault(claim_name, []).append(deployment)
    errors = []
    for claim_name, group in sorted(sharers.items()):
        claim = claims.get(claim_name)
        if len(group) < 2 or claim is None:
            continue
        if not set(claim["spec"].get("accessModes") or []) & SINGLE_NODE_ACCESS_MODES:
            continue
        all_labels = [d["spec"]["template"]["metadata"].get("labels") or {} for d in group]
        for deployment in group:
            affinity = (pod_spec(deployment).get("affinity") or {}).get("podAffinity") or {}
            terms = affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or []
            if not any(
                term.get("topologyKey") == "kubernetes.io/hostname"
                and all(selector_matches(term.get("labelSelector") or {}, labels) for labels in all_labels)
                for term in terms
            ):
                others = ", ".join(ref(d) for d in group if d is not deployment)
                errors.append(
                    f"{ref(deployment)}: shares the single-node claim {claim_name} with {others}, so it needs a "
                    "required podAffinity term on kubernetes.io/hostname selecting all of their pods and its own"
                )
    return errors


# --- FORWARDED_ALLOW_IPS ---------------------------------------------------------------------------


def forwarded_allow_ips_values(node: Any) -> list[str]:
    """Every value any YAML document gives FORWARDED_ALLOW_IPS: ConfigMap data, env entries, JSON 6902 operations,
    generator literals (NAME=value) and inline patches in a kustomization."""
    found: list[str] = []
    if isinstance(node, dict):
        if FORWARDED_ALLOW_IPS in node:
            found.append(node[FORWARDED_ALLOW_IPS])
        if "value" in node and (
            node.get("name") == FORWARDED_ALLOW_IPS
            or (isinstance(node.get("path"), str) and node["path"].rstrip("/").endswith("/" + FORWARDED_ALLOW_IPS))
        ):
            found.append(node["value"])
        if isinstance(node.get("patch"), str):
            # A broken inline patch is left to kustomize, which reports it when the overlay renders.
            with contextlib.suppress(yaml.YAMLError):
                found += forwarded_allow_ips_values(list(yaml.safe_load_all(node["patch"])))
        for value in node.values():
            found += forwarded_allow_ips_values(value)
    elif isinstance(node, list):
        for item in node:
            found += forwarded_allow_ips_values(item)
    elif isinstance(node, str) and node.startswith(FORWARDED_ALLOW_IPS + "="):
        found.append(node.split("=", 1)[1])
    return found


def check_forwarded_allow_ips(value: Any, where: str) -> list[str]:
    """Comma-separated addresses or networks (uvicorn silently ignores anything else), PLACEHOLDER in the base;
    never "*" or a /0, which would let any client forge X-Forwarded-For."""
    if not isinstance(value, str):
        return [f"{where}: {FORWARDED_ALLOW_IPS} must be a quoted string, got {value!r}"]
    errors = []
    for entry in (item.strip() for item in value.split(",")):
        if entry == PLACEHOLDER:
            continue
        if entry == "*":
            errors.append(f"{where}: {FORWARDED_ALLOW_IPS} must not be '*': any client could forge its address")
            continue
        try:
            network = ipaddress.ip_network(entry)
        except ValueError as exc:
            errors.append(f"{where}: {FORWARDED_ALLOW_IPS} entry {entry!r} is not an IP address or network ({exc})")
            continue
        if network.prefixlen == 0:
            errors.append(f"{where}: {FORWARDED_ALLOW_IPS} must not trust every address ({entry})")
    return errors


# --- Services ------------------------------------------------------------------------------------


def is_subset(small: dict[str, Any], big: dict[str, Any]) -> bool:
    return all(big.get(k) == v for k, v in small.items())


def check_service(service: dict[str, Any], deployments: Iterable[dict[str, Any]]) -> list[str]:
    selector = service["spec"].get("selector") or {}
    if not selector:
        return [f"{ref(service)}: has no selector"]
    targets = [d for d in deployments if is_subset(selector, d["spec"]["template"]["metadata"].get("labels") or {})]
    if not targets:
        return [f"{ref(service)}: selector {selector} matches no Deployment's pod labels"]
    errors = []
    for port in service["spec"].get("ports") or []:
        target_port = port.get("targetPort", port.get("port"))
        for deployment in targets:
            declared: dict[Any, int] = {}
            for container in containers(deployment, init=False):
                declared |= _declared_ports(container)
            if target_port not in declared:
                errors.append(f"{ref(service)}: targetPort {target_port!r} is not a containerPort of {ref(deployment)}")
    return errors


# --- Containerfiles ------------------------------------------------------------------------------


def containerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with comments dropped and continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def containerfile_cmd(text: str) -> list[str] | None:
    """The last CMD in exec (JSON) form, or None when absent or in shell form."""
    cmds = [args for keyword, args in containerfile_instructions(text) if keyword == "CMD"]
    if not cmds:
        return None
    try:
        value = json.loads(cmds[-1])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, list) else None


def check_containerfile(text: str, service: str, package: str, ports: Iterable[int], default: str) -> list[str]:
    where = f"services/{service}/Containerfile"
    instructions = containerfile_instructions(text)
    by_keyword: dict[str, list[str]] = {}
    for keyword, args in instructions:
        by_keyword.setdefault(keyword, []).append(args)
    errors = []
    if by_keyword.get("FROM", [""])[0] != "python:3.11-slim":
        errors.append(f"{where}: base image must be python:3.11-slim")
    user = (by_keyword.get("USER") or ["root"])[-1].split(":")[0]
    if not user.isdigit() or user == "0":
        errors.append(f"{where}: USER must be a numeric non-root uid, got {user!r}")
    install = f"pip install -c constraints.txt ./shared ./services/{service}"
    if not any(install in " ".join(args.split()) for args in by_keyword.get("RUN", [])):
        errors.append(f"{where}: no `{install}`")
    copied = " ".join(by_keyword.get("COPY", []))
    for source in ("constraints.txt", "shared/", f"services/{service}/"):
        if source not in copied.split():
            errors.append(f"{where}: does not COPY {source}")
    exposed = {int(p.split("/")[0]) for args in by_keyword.get("EXPOSE", []) for p in shlex.split(args)}
    if missing := set(ports) - exposed:
        errors.append(f"{where}: does not EXPOSE {sorted(missing)}")
    if "HEALTHCHECK" in by_keyword:
        errors.append(f"{where}: HEALTHCHECK should be left to the Kubernetes probes")
    cmd = containerfile_cmd(text)
    if cmd != ["python", "-m", package, default]:
        errors.append(f'{where}: CMD must be the exec form ["python", "-m", "{package}", "{default}"], got {cmd}')
    return errors


def check_command_matches_cmd(deployment: dict[str, Any], cmd: list[str] | None, processes: Iterable[str]) -> list[str]:
    """The Deployment runs the image's module (as in its CMD) with one of the service's commands."""
    if not cmd:
        return [f"{ref(deployment)}: the Containerfile has no exec-form CMD to compare with"]
    errors = []
    allowed = set(processes)
    for container in containers(deployment, init=False):
        command = list(container.get("command") or []) + list(container.get("args") or [])
        if command[:3] != cmd[:3]:
            errors.append(f"{ref(deployment)} container {container.get('name')}: runs {command}, not module {cmd[:3]}")
        elif command[3:] not in ([p] for p in allowed):
            errors.append(
                f"{ref(deployment)} container {container.get('name')}: {command[3:]} is not one of {sorted(allowed)}"
            )
    allowed_init = ([*cmd[:3], "migrate"], BUS_DECLARE)
    for container in pod_spec(deployment).get("initContainers") or []:
        command = list(container.get("command") or []) + list(container.get("args") or [])
        if command not in allowed_init:
            errors.append(
                f"{ref(deployment)} init container {container.get('name')}: runs {command}, not one of {allowed_init}"
            )
    return errors
