"""The Kubernetes base and the Containerfiles, checked offline against the deployment contract.

The contract (packages, processes, ports) is restated below on purpose: a manifest that drifts from it fails here.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest
import yaml

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
    "signing": ("ecourt_signing", "SIGNING", {"worker": 8204, "web": 8108}),
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
    "console": {"postgres"},
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
CLAIMS = BY_KIND.get("PersistentVolumeClaim", {})
EXAMPLE_SECRETS = {doc["metadata"]["name"]: doc for doc in v.load_documents(SECRETS_EXAMPLE)}


def default_process(svc: str) -> str:
    return "worker" if "worker" in SERVICES[svc][2] else "web"


def containerfile(svc: str) -> str:
    return (REPO / "services" / svc / "Containerfile").read_text(encoding="utf-8")


def deployment(svc: str, process: str) -> dict:
    return DEPLOYMENTS[f"{svc}-{process}"]


def mounts(container: dict, volume: str) -> list[dict]:
    return [m for m in container.get("volumeMounts") or [] if m["name"] == volume]


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


@pytest.mark.parametrize(("svc", "process"), PROCESSES)
def test_volume_claims_exist_and_single_node_claims_mean_one_replica_replaced_not_rolled(svc, process):
    assert v.check_volume_claims(deployment(svc, process), CLAIMS) == []


def test_deployments_sharing_a_single_node_claim_are_kept_on_one_node():
    assert v.check_shared_claims(DEPLOYMENTS.values(), CLAIMS) == []


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_every_volume_claim_requests_storage_and_is_used(name):
    assert v.check_claim(CLAIMS[name]) == []
    assert any(name in v.claim_mounts(d).values() for d in DEPLOYMENTS.values())


# --- signing keys ----------------------------------------------------------------------------------


def test_signing_keys_are_a_single_node_claim():
    assert CLAIMS["signing-keys"]["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert CLAIMS["signing-keys"]["spec"]["resources"]["requests"]["storage"] == "1Gi"
    users = sorted(name for name, d in DEPLOYMENTS.items() if "signing-keys" in v.claim_mounts(d).values())
    assert users == ["signing-web", "signing-worker"]


# The worker creates the development CA's root on first start and issues certificates later; the web process signs
# RFC 3161 timestamps (POST /tsa) with the TSA key kept beside them, which it creates on first use or renews.
@pytest.mark.parametrize("process", ["worker", "web"])
def test_signing_process_keeps_its_development_ca_on_a_writable_claim(process):
    signing = deployment("signing", process)
    pod = signing["spec"]["template"]["spec"]
    keys_dir = CONFIGMAPS["signing-config"]["data"]["ECOURT_SIGNING_KEYS_DIR"]
    assert v.claim_mounts(signing) == {"signing-keys": "signing-keys"}
    # Written as uid 10001 through the fsGroup, under the CA's lock file.
    ((mount,),) = [mounts(c, "signing-keys") for c in pod["containers"]]
    assert (mount["mountPath"], mount.get("readOnly", False)) == (keys_dir, False)
    assert "subPath" not in mount
    assert pod["securityContext"]["fsGroup"] == UID
    assert pod["securityContext"]["fsGroupChangePolicy"] == "OnRootMismatch"  # no group bits added to its keys
    # The init containers only need the setting's directory to exist; they never write to it.
    assert all(m.get("readOnly") for c in pod["initContainers"] for m in mounts(c, "signing-keys"))
    # ReadWriteOnce and the CA's lock file: one pod at a time, the old one gone before the new one starts.
    assert signing["spec"]["replicas"] == 1
    assert signing["spec"]["strategy"] == {"type": "Recreate"}


def test_signing_keys_are_no_longer_a_secret():
    assert "ecourt-signing-keys" not in EXAMPLE_SECRETS
    referenced = {name for d in DEPLOYMENTS.values() for name, _ in v.referenced_config(d)[1]}
    assert referenced == {"ecourt-secrets"}


# --- clients behind the ingress --------------------------------------------------------------------


@pytest.mark.parametrize("svc", WEB_SERVICES)
def test_web_process_trusts_forwarded_addresses_only_from_what_the_overlay_names(svc):
    # uvicorn's default (127.0.0.1) never matches the ingress, so every visitor would share its address and one
    # client's failed lookups or logins would block everyone; the overlay sets the ingress controller's pod CIDR.
    assert CONFIGMAPS[f"{svc}-config"]["data"][v.FORWARDED_ALLOW_IPS] == v.PLACEHOLDER
    (container,) = deployment(svc, "web")["spec"]["template"]["spec"]["containers"]
    assert v.container_settings(container, CONFIGMAPS)[v.FORWARDED_ALLOW_IPS] == v.PLACEHOLDER


@pytest.mark.parametrize("path", v.yaml_files(K8S), ids=lambda p: str(p.relative_to(K8S)))
def test_no_manifest_or_overlay_trusts_forwarded_addresses_from_everyone(path):
    values = v.forwarded_allow_ips_values(v.load_documents(path))
    assert [e for value in values for e in v.check_forwarded_allow_ips(value, str(path))] == []


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


def test_validator_rejects_a_shared_or_missing_claim_and_one_it_cannot_write_to():
    broken = copy.deepcopy(deployment("signing", "worker"))
    broken["spec"]["replicas"] = 2
    del broken["spec"]["strategy"]
    del broken["spec"]["template"]["spec"]["securityContext"]["fsGroup"]
    where = "Deployment/signing-worker"
    assert v.check_volume_claims(broken, CLAIMS) == [
        f"{where}: replicas must be 1 with the single-node claim signing-keys",
        f"{where}: strategy must be Recreate with the single-node claim signing-keys",
        f"{where}: pod securityContext.fsGroup must be a non-zero gid to write to a claim",
    ]
    assert v.check_volume_claims(broken, {}) == [
        f"{where}: PersistentVolumeClaim signing-keys is not defined",
        f"{where}: pod securityContext.fsGroup must be a non-zero gid to write to a claim",
    ]
    shared = copy.deepcopy(CLAIMS)
    shared["signing-keys"]["spec"]["accessModes"] = ["ReadWriteMany"]
    assert v.check_volume_claims(broken, shared)[0].endswith("fsGroup must be a non-zero gid to write to a claim")
    claim = copy.deepcopy(CLAIMS["signing-keys"])
    claim["spec"] = {}
    assert v.check_claim(claim) == [
        "PersistentVolumeClaim/signing-keys: no accessModes",
        "PersistentVolumeClaim/signing-keys: no resources.requests.storage",
    ]


def test_validator_rejects_deployments_that_share_a_single_node_claim_without_co_location():
    worker, web = copy.deepcopy(deployment("signing", "worker")), copy.deepcopy(deployment("signing", "web"))
    del web["spec"]["template"]["spec"]["affinity"]
    # A term that selects only the other Deployment's pods: with two such terms neither pod could be scheduled first.
    (term,) = v.pod_spec(worker)["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    term["labelSelector"]["matchExpressions"][0]["values"] = ["web"]
    errors = v.check_shared_claims([worker, web], CLAIMS)
    assert [e.split(":")[0] for e in errors] == ["Deployment/signing-worker", "Deployment/signing-web"]
    assert errors[1] == (
        "Deployment/signing-web: shares the single-node claim signing-keys with Deployment/signing-worker, so it "
        "needs a required podAffinity term on kubernetes.io/hostname selecting all of their pods and its own"
    )
    term["labelSelector"]["matchExpressions"][0]["values"] = ["worker", "web"]
    term["topologyKey"] = "topology.kubernetes.io/zone"  # one zone is not one node
    assert len(v.check_shared_claims([worker, web], CLAIMS)) == 2
    shared = copy.deepcopy(CLAIMS)
    shared["signing-keys"]["spec"]["accessModes"] = ["ReadWriteMany"]
    assert v.check_shared_claims([worker, web], shared) == []
    assert v.check_shared_claims([worker], CLAIMS) == []


def test_validator_finds_and_rejects_forwarded_allow_ips_that_trust_everyone():
    kustomization = yaml.safe_load(
        """
        configMapGenerator:
          - name: portal-config
            behavior: merge
            literals: ["FORWARDED_ALLOW_IPS=*"]
        patches:
          - target: {kind: ConfigMap, name: "(intake|portal|qlta-gateway|signing|console)-config"}
            patch: |-
              - op: replace
                path: /data/FORWARDED_ALLOW_IPS
                value: "10.244.0.0/16,0.0.0.0/0"
          - patch: |-
              apiVersion: apps/v1
              kind: Deployment
              metadata: {name: portal-web}
              spec:
                template:
                  spec:
                    containers:
                      - name: web
                        env: [{name: FORWARDED_ALLOW_IPS, value: "10.244.0.1/16"}]
        """
    )
    values = v.forwarded_allow_ips_values(kustomization)
    assert sorted(values) == ["*", "10.244.0.0/16,0.0.0.0/0", "10.244.0.1/16"]
    errors = [e for value in values for e in v.check_forwarded_allow_ips(value, "k")]
    assert errors[0] == "k: FORWARDED_ALLOW_IPS must not be '*': any client could forge its address"
    assert errors[1] == "k: FORWARDED_ALLOW_IPS must not trust every address (0.0.0.0/0)"
    assert errors[2].startswith("k: FORWARDED_ALLOW_IPS entry '10.244.0.1/16' is not an IP address or network")
    assert len(errors) == 3
    assert v.check_forwarded_allow_ips("10.244.0.0/16, fd00:10:244::/56,192.0.2.7", "k") == []
    assert v.check_forwarded_allow_ips(v.PLACEHOLDER, "k") == []


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
