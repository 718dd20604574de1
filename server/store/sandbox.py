"""A query worker that cannot reach the network: the second layer under the refusal of SERVICE.

Oxigraph carries its own HTTP client, and no option of ``Store.query`` turns SERVICE off. So
whatever the checks before it miss, a worker must be unable to open a network connection. At
its start (:func:`install`) it gets a seccomp filter that answers EACCES to ``socket()`` for
every address family, AF_UNIX too (a name lookup through nscd or systemd-resolved would go out
as a DNS query; the worker's channel to the pool is a socket pair made before, and
``socketpair()`` stays allowed), to ``io_uring_setup`` (whose operations would not pass
through ``socket()``), and to every system call made with another ABI than the worker's own
(i386 or x32 calls on x86_64, whose numbers differ). Where the kernel will not take the
filter, the worker moves to a network namespace of its own (which has no interface but a
loopback that is down; a name lookup through a local resolver's socket still works there);
where neither can be done, it says so on stderr once per pool and goes on with the first layer
alone.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys
import tempfile
from pathlib import Path

# From <linux/seccomp.h>, <linux/filter.h>, <linux/audit.h>, <linux/prctl.h>, <sched.h>.
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_BPF_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_BPF_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_BPF_JSET_K = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_BPF_RET_K = 0x06  # BPF_RET | BPF_K
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_X32_SYSCALL_BIT = 0x40000000

#: Per machine: the audit arch of its native ABI, and the numbers of socket, io_uring_setup and
#: seccomp (the numbers differ between ABIs; the filter is only right for the one it checks).
_ARCHES: dict[str, tuple[int, int, int, int]] = {
    "x86_64": (0xC000003E, 41, 425, 317),
    "aarch64": (0xC00000B7, 198, 425, 277),
}
#: Offsets in struct seccomp_data: the call's number, then its ABI.
_NR, _ARCH = 0, 4


class SandboxUnavailable(OSError):
    """Neither the filter nor a network namespace could be had here."""


def install() -> str:
    """Make this process (and the threads and children it makes after) unable to open
    network sockets; the name of the means used. Never raises: where nothing works it warns
    on stderr (once per parent process) and returns "none"."""
    try:
        install_filter()
        return "seccomp"
    except OSError as filter_error:
        try:
            _own_network_namespace()
            return "network namespace"
        except OSError as namespace_error:
            _warn_once(
                "habitat-kg: the query workers can reach the network (no seccomp filter: "
                f"{filter_error}; no network namespace: {namespace_error}); SERVICE is still "
                "refused before any query runs"
            )
            return "none"


def install_filter() -> None:
    """Install the seccomp filter; SandboxUnavailable (an OSError) if it cannot be."""
    arch = _ARCHES.get(platform.machine())
    if arch is None or sys.platform != "linux":
        raise SandboxUnavailable(f"no filter is written for {sys.platform} {platform.machine()}")
    audit_arch, nr_socket, nr_io_uring_setup, nr_seccomp = arch
    program = _filter_program(audit_arch, nr_socket, nr_io_uring_setup)
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(program)
    fprog = struct.pack("HxxxxxxP", len(program) // 8, ctypes.addressof(buffer))
    fprog_buffer = ctypes.create_string_buffer(fprog)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise _os_error(libc, "prctl(PR_SET_NO_NEW_PRIVS)")
    # seccomp(2) with TSYNC puts the filter on every thread the process already has.
    done = libc.syscall(
        ctypes.c_long(nr_seccomp),
        ctypes.c_long(_SECCOMP_SET_MODE_FILTER),
        ctypes.c_long(_SECCOMP_FILTER_FLAG_TSYNC),
        fprog_buffer,
    )
    if done != 0 and ctypes.get_errno() == errno.ENOSYS:
        done = libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, fprog_buffer, 0, 0)
    if done != 0:
        raise _os_error(libc, "seccomp(SECCOMP_SET_MODE_FILTER)")


def _filter_program(audit_arch: int, nr_socket: int, nr_io_uring_setup: int) -> bytes:
    refuse = _SECCOMP_RET_ERRNO | errno.EACCES
    instructions = [
        (_BPF_LD_W_ABS, 0, 0, _ARCH),
        (_BPF_JEQ_K, 1, 0, audit_arch),  # another ABI: refused whole
        (_BPF_RET_K, 0, 0, refuse),
        (_BPF_LD_W_ABS, 0, 0, _NR),
        (_BPF_JSET_K, 0, 1, _X32_SYSCALL_BIT),  # x32 numbers on x86_64
        (_BPF_RET_K, 0, 0, refuse),
        (_BPF_JEQ_K, 0, 1, nr_io_uring_setup),
        (_BPF_RET_K, 0, 0, refuse),
        (_BPF_JEQ_K, 0, 1, nr_socket),
        (_BPF_RET_K, 0, 0, refuse),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
    ]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in instructions)


def _own_network_namespace() -> None:
    """Move to a new network namespace (as root directly, else inside a new user namespace)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) == 0:
        return
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        return
    raise _os_error(libc, "unshare(CLONE_NEWNET)")


def _os_error(libc: ctypes.CDLL, call: str) -> OSError:
    code = ctypes.get_errno()
    return SandboxUnavailable(code, f"{call}: {os.strerror(code)}")


def _warn_once(message: str) -> None:
    """Print ``message`` unless a sibling worker (same parent) already did."""
    mark = Path(tempfile.gettempdir()) / f"habitat-kg-sandbox-warned-{os.getppid()}"
    try:
        with mark.open("x"):
            pass
    except FileExistsError:
        return
    except OSError:
        pass
    print(message, file=sys.stderr, flush=True)
