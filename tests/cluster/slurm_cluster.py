"""A real single-node SLURM cluster on localhost, for tests that submit real sbatch jobs.

Debian's slurm-wlm (22.05) with munge, slurmdbd on a private MariaDB (so `sacct` and
`sacctmgr` work, which the snakemake SLURM executor uses for status checks and account
validation), two partitions (`debug`, the default, and `gpu`) and one fake GPU (gres backed by
/dev/null) so that `gpu=1` rules schedule. Every state, log, pid and socket path lives under one
scratch directory; only /etc/slurm/{slurm,gres}.conf are symlinked into it, because the
executor's in-job helper strips SLURM_CONF before its inner `srun`. Daemons are stopped by the
PIDs started here, never by name.

    with LocalSlurmCluster() as cluster:      # needs root and apt-get
        subprocess.run(["sbatch", "--wrap", "true"])
        cluster.job_states(["1"])              # {"1": JobState(state="COMPLETED", ...)}
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

PACKAGES = ("slurm-wlm", "munge", "slurmdbd", "mariadb-server")
CLUSTER_NAME = "budgetai"
ACCOUNT = "budgetai"
CPU_PARTITION = "debug"
GPU_PARTITION = "gpu"
SLURM_ETC = Path("/etc/slurm")
# slurmctld, slurmd, slurmdbd listen on these fixed ports (SLURM's defaults); a second cluster
# on the same machine would collide, so start() refuses early with a clear message instead.
SLURM_PORTS = (6817, 6818, 6819)
# Daemons stop in this order: compute first, database last, munge (auth for all) at the end.
STOP_ORDER = ("slurmd", "slurmctld", "slurmdbd", "mariadbd", "munged")


class SlurmClusterError(RuntimeError):
    """The local cluster could not be installed, started or queried."""


@dataclass(frozen=True)
class JobState:
    """One job as `sacct` reports it."""

    job_id: str
    state: str
    partition: str
    exit_code: str


def why_cluster_unavailable() -> str | None:
    """Return why a local cluster cannot be built here (for pytest.skip), or None if it can."""
    if os.geteuid() != 0:
        return "a local SLURM cluster needs root (daemons, apt-get, /etc/slurm)"
    for tool in ("apt-get", "dpkg", "setpriv"):
        if shutil.which(tool) is None:
            return f"a local SLURM cluster needs {tool} (Debian/Ubuntu), not found on PATH"
    return None


def ensure_packages(packages: Iterable[str] = PACKAGES) -> None:
    """Install the Debian packages that are missing (apt-get update first if install fails)."""
    packages = list(packages)
    if subprocess.run(["dpkg", "-s", *packages], capture_output=True).returncode == 0:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq",
               "--no-install-recommends", *packages]
    if subprocess.run(install, env=env, capture_output=True).returncode == 0:
        return
    # The package lists may be missing or stale (fresh container): refresh once, then retry.
    _run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-qq"], env=env)
    _run(install, env=env)


def _run(cmd: list[str], **kwargs) -> str:
    """Run a command; on failure raise SlurmClusterError with its output."""
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise SlurmClusterError(
            f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def _succeeds(cmd: list[str] | str) -> bool:
    return subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True,
                          timeout=30).returncode == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def node_resources() -> tuple[int, int]:
    """(CPUs, RealMemory in MB) that slurmd detects here, memory less 512 MB of headroom
    (RealMemory above what slurmd -C reports makes the node INVAL)."""
    out = _run(["slurmd", "-C"])
    cpus = int(re.search(r"\bCPUs=(\d+)", out).group(1))
    memory = int(re.search(r"\bRealMemory=(\d+)", out).group(1))
    return cpus, max(memory - 512, 256)


def slurm_conf(root: Path, munge_socket: Path, cpus: int, memory_mb: int) -> str:
    """slurm.conf text: one node `localhost` with one fake GPU, partitions debug + gpu,
    accounting through slurmdbd (AccountingStoragePass points sacct at the moved socket)."""
    return f"""\
ClusterName={CLUSTER_NAME}
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={munge_socket}
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation={root}/state/ctld
SlurmdSpoolDir={root}/state/d
SlurmctldPidFile={root}/run/slurmctld.pid
SlurmdPidFile={root}/run/slurmd.pid
SlurmctldLogFile={root}/log/slurmctld.log
SlurmdLogFile={root}/log/slurmd.log
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePass={munge_socket}
AccountingStorageTRES=gres/gpu
AccountingStoreFlags=job_comment
JobAcctGatherType=jobacct_gather/linux
JobCompType=jobcomp/none
GresTypes=gpu
NodeName=localhost CPUs={cpus} RealMemory={memory_mb} Gres=gpu:1 State=UNKNOWN
PartitionName={CPU_PARTITION} Nodes=localhost Default=YES MaxTime=INFINITE State=UP
PartitionName={GPU_PARTITION} Nodes=localhost MaxTime=INFINITE State=UP
"""


def slurmdbd_conf(root: Path, munge_socket: Path, mysql_port: int) -> str:
    return f"""\
AuthType=auth/munge
AuthInfo=socket={munge_socket}
DbdHost=localhost
SlurmUser=root
PidFile={root}/run/slurmdbd.pid
LogFile={root}/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort={mysql_port}
StorageUser=slurm
StoragePass=slurmpw
StorageLoc=slurm_acct_db
"""


# Without File= the node goes INVAL; /dev/null makes the GPU schedulable without hardware.
GRES_CONF = "NodeName=localhost Name=gpu File=/dev/null\n"


class LocalSlurmCluster:
    """Start/stop the daemons; query job states. Use as a context manager or start()/stop()."""

    def __init__(self, root: str | os.PathLike | None = None, account: str = ACCOUNT):
        # Not pytest's tmp_path: that is mode 0700, and munged/mariadbd run as their own users.
        self.root = Path(root or tempfile.mkdtemp(prefix="budgetai-slurm-"))
        self.account = account
        self.munge_socket = self.root / "run/munge/munge.socket.2"
        self.mysql_socket = self.root / "run/mysqld/mysqld.sock"
        self.processes: dict[str, subprocess.Popen] = {}
        self._linked: list[tuple[Path, Path | None]] = []  # (our symlink, moved-aside original)

    def __enter__(self) -> "LocalSlurmCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "LocalSlurmCluster":
        """Install packages if missing, start every daemon, wait for an idle node and create
        the account. On any failure everything started so far is stopped again."""
        busy = [port for port in SLURM_PORTS if _port_in_use(port)]
        if busy:
            raise SlurmClusterError(
                f"ports {busy} are in use: another SLURM runs on this machine; stop it first")
        ensure_packages()
        try:
            self._prepare_dirs()
            self._start_munge()
            self._start_mariadb()
            self._write_configs()
            self._start_slurmdbd()
            self._start_slurm()
            self._create_account()
        except BaseException:
            self.stop()
            raise
        return self

    def _prepare_dirs(self) -> None:
        self.root.chmod(0o755)
        for sub in ("etc", "log", "run/munge", "run/mysqld", "state/ctld", "state/d", "mysql"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        shutil.chown(self.root / "run/munge", "munge", "munge")
        for sub in ("mysql", "run/mysqld"):
            shutil.chown(self.root / sub, "mysql", "mysql")
        key = Path("/etc/munge/munge.key")
        if not key.is_file() or key.stat().st_size == 0:
            _run(["mungekey", "--create", f"--keyfile={key}"])
            shutil.chown(key, "munge", "munge")
            key.chmod(0o600)

    def _spawn(self, name: str, cmd: list[str], **kwargs) -> None:
        out = open(self.root / "log" / f"{name}.out", "wb")
        self.processes[name] = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                                stdin=subprocess.DEVNULL, **kwargs)
        out.close()

    def _wait(self, what: str, ready: Callable[[], bool], timeout: float = 60) -> None:
        """Poll ready() until true; fail early, with the daemon's output, if one died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.processes.items():
                if proc.poll() is not None:
                    raise SlurmClusterError(
                        f"{name} exited {proc.returncode} while waiting for {what}:\n"
                        f"{self.log_tail(name)}")
            if ready():
                return
            time.sleep(0.25)
        logs = "\n".join(self.log_tail(name, lines=15) for name in self.processes)
        raise SlurmClusterError(f"timed out after {timeout:.0f} s waiting for {what}:\n{logs}")

    def log_tail(self, name: str, lines: int = 30) -> str:
        """Last lines of a daemon's stdout/stderr and of its own log file, if any."""
        texts = []
        for path in (self.root / "log" / f"{name}.out", self.root / "log" / f"{name}.log"):
            if path.is_file():
                texts.append(f"--- {path}\n" + "\n".join(
                    path.read_text(errors="replace").splitlines()[-lines:]))
        return "\n".join(texts)

    def _start_munge(self) -> None:
        # setpriv execs munged, so the Popen PID is munged's own (runuser would leave a zombie).
        self._spawn("munged", [
            "setpriv", "--reuid=munge", "--regid=munge", "--init-groups",
            "/usr/sbin/munged", "--foreground", f"--socket={self.munge_socket}",
            f"--pid-file={self.root}/run/munge/munged.pid",
            f"--log-file={self.root}/log/munged.log"])
        sock = str(self.munge_socket)
        self._wait("munge", lambda: _succeeds(f"munge -S {sock} -n | unmunge -S {sock}"))

    def _start_mariadb(self) -> None:
        if not (self.root / "mysql/mysql").is_dir():
            _run(["mariadb-install-db", "--user=mysql", f"--datadir={self.root}/mysql",
                  "--auth-root-authentication-method=socket", "--skip-test-db"])
        self.mysql_port = _free_port()
        self._spawn("mariadbd", [
            "mariadbd", "--user=mysql", f"--datadir={self.root}/mysql",
            f"--socket={self.mysql_socket}", f"--pid-file={self.root}/run/mysqld/mysqld.pid",
            "--bind-address=127.0.0.1", f"--port={self.mysql_port}", "--skip-name-resolve",
            "--innodb-buffer-pool-size=64M", f"--log-error={self.root}/log/mariadbd.log"])
        client = ["mariadb", "-S", str(self.mysql_socket)]
        self._wait("MariaDB", lambda: _succeeds([*client, "-e", "select 1"]))
        _run([*client, "-e",
              "CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurmpw';"
              "GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1'; FLUSH PRIVILEGES;"])

    def _write_configs(self) -> None:
        etc = self.root / "etc"
        cpus, memory_mb = node_resources()
        (etc / "slurm.conf").write_text(slurm_conf(self.root, self.munge_socket, cpus, memory_mb))
        (etc / "gres.conf").write_text(GRES_CONF)
        dbd = etc / "slurmdbd.conf"
        dbd.write_text(slurmdbd_conf(self.root, self.munge_socket, self.mysql_port))
        dbd.chmod(0o600)  # slurmdbd refuses a world-readable config holding a password
        for name in ("slurm.conf", "gres.conf"):
            self._link_into_etc(name)

    def _link_into_etc(self, name: str) -> None:
        """Symlink /etc/slurm/<name> to our copy, moving any existing file aside for stop()."""
        SLURM_ETC.mkdir(parents=True, exist_ok=True)
        link, backup = SLURM_ETC / name, None
        if link.is_symlink() or link.exists():
            backup = link.with_name(f"{name}.before-budgetai-{os.getpid()}")
            os.replace(link, backup)
        link.symlink_to(self.root / "etc" / name)
        self._linked.append((link, backup))

    def _start_slurmdbd(self) -> None:
        # slurmdbd looks for slurmdbd.conf beside SLURM_CONF.
        env = {**os.environ, "SLURM_CONF": str(self.root / "etc/slurm.conf")}
        self._spawn("slurmdbd", ["slurmdbd", "-D"], env=env)
        log = self.root / "log/slurmdbd.log"
        self._wait("slurmdbd", lambda: log.is_file() and re.search(
            r"slurmdbd version .* started", log.read_text(errors="replace")) is not None)

    def _start_slurm(self) -> None:
        self._spawn("slurmctld", ["slurmctld", "-D"])
        # -N localhost: the node name in slurm.conf, not this machine's hostname.
        self._spawn("slurmd", ["slurmd", "-D", "-N", "localhost"])
        self._wait("an idle node", lambda: subprocess.run(
            ["sinfo", "-h", "-o", "%T"], capture_output=True, text=True
        ).stdout.split() == ["idle"], timeout=90)

    def _create_account(self) -> None:
        # slurmctld registers the cluster with slurmdbd shortly after it starts.
        self._wait("cluster registration", lambda: CLUSTER_NAME in subprocess.run(
            ["sacctmgr", "-n", "-P", "list", "cluster", "format=cluster"],
            capture_output=True, text=True).stdout.split())
        for cmd in (["add", "account", self.account, f"Cluster={CLUSTER_NAME}"],
                    ["add", "user", "root", f"Account={self.account}"]):
            proc = subprocess.run(["sacctmgr", "-i", *cmd], capture_output=True, text=True)
            if proc.returncode != 0 and "Nothing new added" not in proc.stdout + proc.stderr:
                raise SlurmClusterError(f"sacctmgr {' '.join(cmd)}: {proc.stdout}{proc.stderr}")

    def stop(self) -> None:
        """Cancel jobs, stop exactly the daemons started here (TERM, then KILL after 20 s),
        put /etc/slurm back as it was and delete the scratch directory. Safe to call twice."""
        if "slurmctld" in self.processes and self.processes["slurmctld"].poll() is None:
            subprocess.run(["scancel", "--user=root"], capture_output=True, timeout=30)
        for name in STOP_ORDER:
            proc = self.processes.pop(name, None)
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
        for link, backup in reversed(self._linked):
            if link.is_symlink() and Path(os.readlink(link)).is_relative_to(self.root):
                link.unlink()
            if backup is not None and not link.exists():
                os.replace(backup, link)
        self._linked.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    def job_states(self, job_ids: Iterable[str]) -> dict[str, JobState]:
        """State, partition and exit code of each job (allocation lines only, not steps)."""
        ids = ",".join(job_ids)
        out = _run(["sacct", "-X", "-n", "-P", "-j", ids,
                    "--format=JobID,State,Partition,ExitCode"])
        states = {}
        for line in out.splitlines():
            job_id, state, partition, exit_code = line.split("|")
            states[job_id] = JobState(job_id, state, partition, exit_code)
        return states
