"""The Kubernetes base and the Containerfiles, checked offline against the deployment contract.

The contract (packages, processes, ports) is restated below on purpose: a manifest that drifts from it fails here.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import k8s_validator as v

pytestmark = pytest.mark.unit

DEPLOY = Path(__file__).resolve().parents[1]
REPO = DEPLOY.parent
K8S = DEPLOY / "k8s"
BASE = K8S / "base"
SECRETS_EXAMPLE = BASE / "secrets.example.yaml"
TAG = "0.1.0"
UID = 10001

# folder: (package, settings name as in ECOURT_<name>_HEALTH_PORT, {process: port})
SERVICES: dict[str, tuple[str, str, dict[str, int]]] = {
    "intake": ("ecourt_intake", "INTAKE", {"worker": 8201, "web": 8101}),
    "assignment": ("ecourt_assignment", "ASSIGNMENT", {"worker": 8202}),
    "casefile": ("ecourt_casefile", "CASEFILE", {"worker": 8203}),
    "signing": ("ecourt_signing", "SIGNING", {"worker": 8204}),
    "stats": ("ecourt_stats", "STATS", {"worker": 8205}),
    "portal": ("ecourt_portal", "PORTAL", {"worker": 8206, "web": 8080}),
    "qlta-gateway": ("ecourt_qlta", "QLTA", {"worker": 8207, "web": 8107}),
    "console": ("ecourt_console", "CONSOLE", {"web": 8090}),
}
# The stores each service uses: its pods get those credentials and no others; "postgres" means it migrates.
STORES: dict[str, set[str]] = {
    "intake": {"postgres", "s3"},
    "assignment": {"postgres"},
    "casefile": {"postgres", "mongo", "s3"},
    "signing": {"postgres", "s3"},
    "stats": {"postgres"},
    "portal": {"postgres"},
    "qlta-gateway": {"postgres"},
    "console": set(),
}
STORE_SECRET_KEYS = {"postgres": "postgres-url", "mongo": "mongo-url", "s3": "s3-secret-key"}
PROCESSES = [(svc, process) for svc, (_, _, procs) in SERVICES.items() for process in procs]
WEB_SERVICES = [svc for svc, (_, _, procs) in SERVICES.items() if "web" in procs]

MANIFESTS = v.load_manifests(v.resource_files(BASE))
BY_KIND: dict[str, dict[str, dict]] = {}
for _m in MANIFESTS:
    BY_KIND.setdefault(_m.doc["kind"], {})[_m.doc["metadata"]["name"]] = _m.doc
DEPLOYMENTS = BY_KIND.get("Deployment", {})
CONFIGMAPS = BY_KIND.get("ConfigMap", {})
EXAMPLE_SECRETS = {doc["metadata"]["name"]: doc for doc in v.load_documents(SECRETS_EXAMPLE)}


def default_process(svc: str) -> str:
    return "worker" if "worker" in SERVICES[svc][2] else "web"


def containerfile(svc: str) -> str:
    return (REPO / "services" / svc / "Containerfile").read_text(encoding="utf-8")


def deployment(svc: str, process: str) -> dict:
    return DEPLOYMENTS[f"{svc}-{process}"]


# --- files and layout ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", v.yaml_files(K8S), ids=lambda p: str(p.relative_to(K8S)))
def test_every_yaml_file_has_known_kinds_and_api_versions(path):
    docs = v.load_documents(path)
    assert docs, f"{path} is empty"
    if path.resolve() in v.patch_files(K8S) and all(isinstance(doc, list) for doc in docs):
        return  # a JSON 6902 patch: a list of operations, checked by kustomize when the overlay renders
    assert [e for doc in docs for e in v.check_api_version(doc) + v.check_string_values(doc)] == []


@pytest.mark.parametrize(
    "directory", sorted(p.parent for p in K8S.rglob(v.KUSTOMIZATION_FILE)), ids=lambda p: str(p.relative_to(K8S))
)
def test_kustomization_lists_existing_files_and_every_manifest_beside_it(directory):
    assert v.check_kustomization_dir(directory) == []


def test_every_manifest_directory_has_a_kustomization():
    assert v.check_every_manifest_dir_has_kustomization(K8S) == []


def test_base_kustomization_includes_common_settings_and_every_service():
    (kustomization,) = v.load_documents(BASE / v.KUSTOMIZATION_FILE)
    assert sorted(kustomization["resources"]) == sorted(["common", *SERVICES])


def test_secret_example_is_not_rendered_by_any_kustomization():
    rendered = {path.resolve() for path in v.resource_files(K8S / "base")}
    assert SECRETS_EXAMPLE.resolve() not in rendered
    assert "Secret" not in BY_KIND


def test_no_object_is_defined_twice():
    refs = [m.ref for m in MANIFESTS]
    assert sorted({r for r in refs if refs.count(r) > 1}) == []


def test_every_object_carries_the_ecourt_labels():
    errors = [e for m in MANIFESTS + v.load_manifests([SECRETS_EXAMPLE]) for e in v.check_object_labels(m.doc)]
    assert errors == []


def test_base_leaves_the_court_to_the_overlay():
    assert CONFIGMAPS["ecourt-common"]["data"]["ECOURT_COURT_ID"] == "PLACEHOLDER"
    assert {m.doc["metadata"]["labels"]["ecourt.vn/court"] for m in MANIFESTS} == {"PLACEHOLDER"}


# --- Deployments ---------------------------------------------------------------------------------


def test_each_process_has_exactly_one_deployment():
    assert sorted(DEPLOYMENTS) == sorted(f"{svc}-{process}" for svc, process in PROCESSES)


@pytest.mark.parametrize(("svc", "process"), PROCESSES)
def test_deployment_is_probed_limited_hardened_and_wired_to_existing_config(svc, process):
    errors = v.check_deployment(deployment(svc, process), svc, TAG, CONFIGMAPS, EXAMPLE_SECRETS)
    assert errors == []


@pytest.mark.parametrize(("svc", "process"), PROCESSES)
def test_deployment_listens_on_the_contract_port_and_its_setting_agrees(svc, process):
    _, settings_name, processes = SERVICES[svc]
    (container,) = deployment(svc, process)["spec"]["template"]["spec"]["containers"]
    assert [p["containerPort"] for p in container["ports"]] == [processes[process]]
    setting = f"ECOURT_{settings_name}_{'HEALTH' if process == 'worker' else 'WEB'}_PORT"
    assert CONFIGMAPS[f"{svc}-config"]["data"][setting] == str(processes[process])


@pytest.mark.parametrize(("svc", "process"), PROCESSES)
def test_pods_migrate_their_database_and_workers_declare_the_bus_before_starting(svc, process):
    package = SERVICES[svc][0]
    init = deployment(svc, process)["spec"]["template"]["spec"].get("initContainers") or []
    expected = [["python", "-m", package, "migrate"]] if "postgres" in STORES[svc] else []
    expected += [v.BUS_DECLARE] if process == "worker" else []
    assert [c["command"] for c in init] == expected


@pytest.mark.parametrize(("svc", "process"), PROCESSES)
def test_deployment_command_matches_the_containerfile_cmd(svc, process):
    cmd = v.containerfile_cmd(containerfile(svc))
    assert v.check_command_matches_cmd(deployment(svc, process), cmd, SERVICES[svc][2]) == []


@pytest.mark.parametrize(("svc", "process"), PROCESSES)
def test_pods_get_the_credentials_of_the_stores_their_service_uses_and_no_others(svc, process):
    keys = {key for secret, key in v.referenced_config(deployment(svc, process))[1] if secret == "ecourt-secrets"}
    expected = {"amqp-uri", "auth-public-key.pem"} | {STORE_SECRET_KEYS[store] for store in STORES[svc]}
    expected |= {"auth-private-key.pem"} if svc == "console" else set()
    assert keys == expected


def test_processes_listen_on_all_interfaces_not_the_loopback_default():
    assert CONFIGMAPS["ecourt-common"]["data"]["ECOURT_BIND_HOST"] == "0.0.0.0"


# --- Services ------------------------------------------------------------------------------------


def test_every_web_process_and_only_it_has_a_service():
    assert sorted(BY_KIND.get("Service", {})) == sorted(f"{svc}-web" for svc in WEB_SERVICES)


@pytest.mark.parametrize("svc", WEB_SERVICES)
def test_service_selects_its_web_deployment_on_a_declared_port(svc):
    service = BY_KIND["Service"][f"{svc}-web"]
    assert v.check_service(service, DEPLOYMENTS.values()) == []
    selected = [
        n
        for n, d in DEPLOYMENTS.items()
        if v.is_subset(service["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])
    ]
    assert selected == [f"{svc}-web"]


# --- Containerfiles and Secrets ------------------------------------------------------------------


@pytest.mark.parametrize("svc", SERVICES)
def test_containerfile_builds_the_service_as_a_non_root_user(svc):
    package, _, processes = SERVICES[svc]
    text = containerfile(svc)
    assert v.check_containerfile(text, svc, package, processes.values(), default_process(svc)) == []
    assert f"USER {UID}:{UID}" in text
    for process in processes:
        assert deployment(svc, process)["spec"]["template"]["spec"]["securityContext"]["runAsUser"] == UID


def test_secret_example_holds_placeholders_only():
    values = {key: value for doc in EXAMPLE_SECRETS.values() for key, value in doc["stringData"].items()}
    assert {key for key, value in values.items() if "REPLACE-ME" not in value} == set()
    assert all("data" not in doc for doc in EXAMPLE_SECRETS.values())


# --- the validator itself fails on broken input ----------------------------------------------------


def test_validator_rejects_a_broken_deployment():
    broken = copy.deepcopy(deployment("intake", "web"))
    container = broken["spec"]["template"]["spec"]["containers"][0]
    del container["readinessProbe"]
    container["livenessProbe"]["httpGet"]["port"] = 9999
    container["image"] = "ecourt/intake:latest"
    del container["resources"]["limits"]
    container["securityContext"]["capabilities"]["drop"] = []
    container["envFrom"].append({"configMapRef": {"name": "no-such-config"}})
    container["env"].append({"name": "X", "valueFrom": {"secretKeyRef": {"name": "ecourt-secrets", "key": "nope"}}})
    errors = v.check_deployment(broken, "intake", TAG, CONFIGMAPS, EXAMPLE_SECRETS)
    where = "Deployment/intake-web container web"
    assert f"{where}: no readinessProbe" in errors
    assert f"{where}: livenessProbe port 9999 is not a declared containerPort" in errors
    assert f"{where}: image tag must not be latest" in errors
    assert f"{where}: no limits.cpu" in errors
    assert f"{where}: capabilities must drop ALL" in errors
    assert "Deployment/intake-web: ConfigMap no-such-config is not defined" in errors
    assert "Deployment/intake-web: Secret ecourt-secrets has no key nope" in errors
    assert len(errors) == 8  # also no limits.memory; nothing else


def test_validator_rejects_a_pod_without_hardening_or_labels():
    broken = copy.deepcopy(deployment("stats", "worker"))
    pod = broken["spec"]["template"]["spec"]
    pod["securityContext"] = {}
    pod["containers"][0]["command"] = ["python", "-m", "ecourt_stats", "serve"]
    del broken["spec"]["template"]["metadata"]["labels"]["ecourt.vn/court"]
    assert "Deployment/stats-worker: pod securityContext.runAsNonRoot must be true" in v.check_security(broken)
    assert "Deployment/stats-worker pod template: missing label ecourt.vn/court" in v.check_object_labels(broken)
    cmd = ["python", "-m", "ecourt_stats", "worker"]
    assert v.check_command_matches_cmd(broken, cmd, ["worker"]) == [
        "Deployment/stats-worker container worker: ['serve'] is not one of ['worker']"
    ]


def test_validator_rejects_a_service_that_selects_nothing_or_a_missing_port():
    service = copy.deepcopy(BY_KIND["Service"]["portal-web"])
    service["spec"]["ports"][0]["targetPort"] = "metrics"
    assert v.check_service(service, DEPLOYMENTS.values()) == [
        "Service/portal-web: targetPort 'metrics' is not a containerPort of Deployment/portal-web"
    ]
    service["spec"]["selector"] = {"app.kubernetes.io/name": "portal", "app.kubernetes.io/component": "api"}
    assert v.check_service(service, DEPLOYMENTS.values())[0].startswith("Service/portal-web: selector ")


def test_validator_rejects_unknown_api_versions_and_unquoted_settings():
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"ECOURT_X_PORT": 8201}}
    assert v.check_string_values(config) == ["ConfigMap/c: data.ECOURT_X_PORT must be a quoted string, got 8201"]
    assert v.check_api_version(
        {"apiVersion": "extensions/v1beta1", "kind": "Deployment", "metadata": {"name": "d"}}
    ) == ["Deployment/d: apiVersion 'extensions/v1beta1' is not one of ['apps/v1']"]


def test_validator_rejects_a_kustomization_that_lists_too_much_or_too_little(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources:\n  - gone.yaml\n  - present.yaml\n")
    (tmp_path / "present.yaml").write_text("kind: ConfigMap\n")
    (tmp_path / "forgotten.yaml").write_text("kind: ConfigMap\n")
    (tmp_path / "secrets.example.yaml").write_text("kind: Secret\n")
    where = tmp_path / "kustomization.yaml"
    assert v.check_kustomization_dir(tmp_path) == [
        f"{where}: lists gone.yaml, which does not exist",
        f"{where}: does not list forgotten.yaml",
    ]


def test_validator_rejects_a_containerfile_that_runs_as_root_with_a_shell_cmd():
    text = (
        containerfile("stats")
        .replace("USER 10001:10001", "USER root")
        .replace('CMD ["python", "-m", "ecourt_stats", "worker"]', "CMD python -m ecourt_stats worker")
        + "HEALTHCHECK CMD curl -f http://localhost:8205/health/live\n"
    )
    errors = v.check_containerfile(text, "stats", "ecourt_stats", [8205], "worker")
    assert errors == [
        "services/stats/Containerfile: USER must be a numeric non-root uid, got 'root'",
        "services/stats/Containerfile: HEALTHCHECK should be left to the Kubernetes probes",
        'services/stats/Containerfile: CMD must be the exec form ["python", "-m", "ecourt_stats", "worker"], got None',
    ]
