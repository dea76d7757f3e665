#!/usr/bin/env bash
# Runs the agent's tests that touch cgroups, devices, containment, user namespaces and lifecycle on a
# real cgroup v2 hierarchy: in a QEMU guest (software emulation, no KVM needed) that boots Debian's
# kernel with cgroup2 only, sees this host's tree read-only and has no network. The classes are built
# here first; the guest runs them in one JVM with the JUnit console launcher. Exits non-zero when a test
# fails or the guest does not finish within the deadline.
#
#   host-agent/test-v2.sh [TEST-CLASS...]     (default: the subset below; see README.md, "cgroup v2")
#   CORRAL_V2_COMMAND='...' host-agent/test-v2.sh   runs that shell command in the guest instead (as root,
#       in host-agent/, with $CLASSPATH set), to look into a failure or measure something
#
# What it fetches (Debian's kernel, QEMU 10 from bookworm-backports, unpacked, never installed) stays in
# $CORRAL_V2_CACHE (/var/cache/corral-v2); the guest's results in its run/ directory.
set -euo pipefail
cd "$(dirname "$0")"
AGENT_DIR=$PWD
CACHE=${CORRAL_V2_CACHE:-/var/cache/corral-v2}
DEADLINE=${CORRAL_V2_DEADLINE:-900}
KERNEL_PACKAGE=linux-image-amd64
# QEMU 7.2 of bookworm crashed the JVM with two vCPUs; 10 did not.
QEMU_PACKAGES=(qemu-system-x86 qemu-system-common qemu-system-data seabios)
# what qemu-system-x86_64 links that a Debian 12 host without QEMU lacks
QEMU_LIBRARIES=(libcapstone4 libfdt1 libpmem1 libndctl6 libdaxctl1 libslirp0 libvdeplug2 libexecs0 libbrlapi0.8
  libcacard0 libusbredirparser1 librdmacm1 libibverbs1 libnl-3-200 libnl-route-3-200 libfuse3-3 libaio1 liburing2)
# the shares (9p over virtio), the scratch disk, entropy; then what the agent uses: loop devices, ext4, overlayfs;
# and the servers' networks (Ruleset's nftables expressions, each a module of Debian's kernel: ct, fib, nat,
# masquerade, named counters, meta in the bridge family; conntrack's netlink for the forwards). The guest's kernel cannot load a module
# itself: the host's tree it runs in has no /lib/modules for it.
MODULES=(virtio_pci 9pnet_virtio 9p virtio_blk virtio-rng loop crc32c_generic ext4 overlay
  veth bridge br_netfilter nf_tables nft_meta_bridge nft_ct nft_fib_inet nft_nat nft_chain_nat nft_masq nft_objref nf_conntrack_netlink)
TESTS=(
  io.corral.agent.cgroup.CgroupV2HostTest
  io.corral.agent.cgroup.CgroupV2Test
  io.corral.agent.cgroup.CgroupV1Test
  io.corral.agent.sys.KernelFilesTest
  io.corral.agent.containment.DeviceProgramTest
  io.corral.agent.lifecycle.LimitsTest
  io.corral.agent.lifecycle.DiskIoTest
  io.corral.agent.lifecycle.AgentRestartTest
  io.corral.agent.containment.UserNamespaceTest
  io.corral.agent.containment.EscapeTest
  io.corral.agent.metering.SamplerTest
  io.corral.agent.backup.SnapshotTest
)
# left out under emulation, with the reason
EXCLUDED=(
  # fills the server's disk quota and half its memory with 64 KiB files: minutes of emulated I/O, and
  # nothing in it depends on the cgroup version (LimitsTest covers the disk quota and the memory limit)
  'io.corral.agent.containment.EscapeTest.resourcesAreHeldToTheServersOwn'
)
[ $# -gt 0 ] && TESTS=("$@")

die() { echo "test-v2: $*" >&2; exit 1; }

ROOT=$CACHE/root   # the unpacked packages
LIBRARIES=$ROOT/usr/lib/x86_64-linux-gnu:$ROOT/lib/x86_64-linux-gnu
APT=$CACHE/apt
apt_own() {
  apt-get -q -o Dir::Etc::SourceList="$APT/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT/cache" -o Debug::NoLocking=1 "$@"
}
apt_cache_own() {
  apt-cache -o Dir::Etc::SourceList="$APT/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$APT/lists" -o Dir::Cache="$APT/cache" "$@"
}

fetch() {
  if [ -e "$ROOT/.complete" ]; then
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "the kernel and QEMU are not in $CACHE yet: run this once as root to fetch them"
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || die "fetching the kernel and QEMU needs apt-get and dpkg-deb (Debian); neither is here"
  echo "== fetching Debian's kernel and QEMU 10 into $CACHE (unpacked, not installed) =="
  rm -rf "$ROOT" "$CACHE/debs"
  mkdir -p "$APT/lists/partial" "$APT/cache" "$CACHE/debs" "$ROOT"
  cat >"$APT/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian-security bookworm-security main
deb http://deb.debian.org/debian bookworm-backports main
EOF
  apt_own update >/dev/null || die "apt-get update of deb.debian.org (bookworm, bookworm-backports) failed"
  local kernel
  kernel=$(apt_cache_own depends "$KERNEL_PACKAGE" | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
  [ -n "$kernel" ] || die "$KERNEL_PACKAGE names no kernel image"
  local packages=("$kernel") p
  for p in "${QEMU_PACKAGES[@]}"; do packages+=("$p/bookworm-backports"); done
  packages+=("${QEMU_LIBRARIES[@]}")
  # apt's own status, not a filter's: grep -v fails on no output, which is what a quiet download that worked prints
  (cd "$CACHE/debs" && apt_own -qq download "${packages[@]}") >"$CACHE/download.log" 2>&1 \
    || { grep -v '^W: Download is performed unsandboxed' "$CACHE/download.log" >&2; die "could not download: ${packages[*]}"; }
  for p in "$CACHE"/debs/*.deb; do dpkg-deb -x "$p" "$ROOT"; done
  local version
  version=$(ls "$ROOT/lib/modules")
  busybox depmod -b "$ROOT" "$version" || die "depmod of $version failed"
  local missing
  missing=$(LD_LIBRARY_PATH="$LIBRARIES" ldd "$ROOT/usr/bin/qemu-system-x86_64" | awk '/not found/ { print $1 }')
  [ -z "$missing" ] || die "qemu-system-x86_64 still lacks: $missing"
  rm -rf "$CACHE/debs"
  touch "$ROOT/.complete"
}

# The classes, the test classpath, the console launcher and the escape probe, built here: the guest runs no Maven.
build() {
  echo "== building the agent's classes and tests =="
  local junit
  junit=$(sed -n 's:.*<junit.version>5\.\(.*\)</junit.version>.*:1.\1:p' pom.xml)
  mkdir -p target/v2
  mvn -B -ntp -q -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/v2/classpath \
    dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit" -DoutputDirectory=target/v2 \
    -Dmdep.stripVersion=true
  gcc -static -O2 -o target/escape-probe src/test/c/escape-probe.c
  gcc -static -O2 -o target/net-probe src/test/c/net-probe.c
}

# busybox and the modules; its init mounts the host's tree, cgroup2 and the shares, then runs the tests.
initramfs() {
  local version dir
  version=$(ls "$ROOT/lib/modules")
  dir=$(mktemp -d)
  mkdir -p "$dir"/{bin,dev,proc,sys,newroot} "$dir/lib/modules/$version"
  local busybox
  busybox=$(command -v busybox) || die "busybox-static is missing (apt-get install busybox-static)"
  file -L "$busybox" | grep -q 'statically linked' || die "$busybox is not statically linked (apt-get install busybox-static)"
  cp "$busybox" "$dir/bin/busybox"
  ln -s busybox "$dir/bin/sh"
  local m f
  for m in "${MODULES[@]}"; do
    f=$(awk -F: -v m="$m" '$1 ~ ("/" m "\\.ko$") { print $1, $2 }' \
      "$ROOT/lib/modules/$version/modules.dep" | head -1)
    [ -n "$f" ] || die "module $m is not in the kernel package"
    for f in $f; do
      mkdir -p "$dir/lib/modules/$version/$(dirname "$f")"
      cp "$ROOT/lib/modules/$version/$f" "$dir/lib/modules/$version/$f"
    done
  done
  cp "$ROOT/lib/modules/$version"/modules.{dep,builtin} "$dir/lib/modules/$version/"
  cat >"$dir/init" <<EOF
#!/bin/sh
export PATH=/bin
busybox mount -t proc proc /proc
busybox mount -t sysfs sys /sys
busybox mount -t devtmpfs dev /dev
busybox modprobe -a ${MODULES[*]} || echo "test-v2: a module did not load"
busybox ip link set lo up
busybox mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose hostroot /newroot
cd /newroot
busybox mount -t proc proc proc
busybox mount -t sysfs sys sys
busybox mount -t cgroup2 cgroup2 sys/fs/cgroup
busybox mount -t devtmpfs dev dev
busybox mkdir -p dev/pts dev/shm
busybox mount -t devpts -o newinstance,ptmxmode=0666 devpts dev/pts
busybox mount -t tmpfs shm dev/shm
busybox mount -t tmpfs run run
busybox mount -t ext4 /dev/vda tmp
busybox chmod 1777 tmp
# the agent's directory and the run directory at their host paths, also where the /tmp or /run above hid them
busybox mkdir -p .${AGENT_DIR} .${CACHE}/run
busybox mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose agent .${AGENT_DIR}
busybox mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose work .${CACHE}/run
# switch_root, not chroot: the kernel refuses a user namespace to a process whose root is not its mount namespace's
exec busybox switch_root /newroot /bin/sh ${CACHE}/run/guest.sh
EOF
  chmod +x "$dir/init"
  (cd "$dir" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$CACHE/initrd.cpio.gz"
  rm -rf "$dir"
}

[ "$(uname -m)" = x86_64 ] || die "the guest is x86_64; this host is $(uname -m)"
fetch
build
initramfs

RUN=$CACHE/run
rm -rf "$RUN" && mkdir -p "$RUN"
# the guest's /tmp (servers' state and disks): ext4, since servers' idmapped layers need a file system that has them
truncate -s 16G "$RUN/scratch.img"
mkfs.ext4 -q -F "$RUN/scratch.img"
classpath="target/test-classes:target/classes:$(cat target/v2/classpath):target/v2/junit-platform-console-standalone.jar"
selectors=()
for t in "${TESTS[@]}"; do selectors+=(--select-class "$t"); done
for t in "${EXCLUDED[@]}"; do selectors+=(--exclude-methodname "$t"); done
cat >"$RUN/guest.sh" <<EOF
# PID 1 of the guest, in this host's tree: the tests, their exit code for the host, power off
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
cd $AGENT_DIR
# the tests, and the agents they start, in a group of their own, as a systemd unit's would be
mkdir /sys/fs/cgroup/corral-test-v2.service && echo \$\$ > /sys/fs/cgroup/corral-test-v2.service/cgroup.procs
echo "test-v2: \$(uname -r), cgroup2 with \$(cat /sys/fs/cgroup/cgroup.controllers), up \$(cut -d' ' -f1 /proc/uptime) s"
# the JIT's top tier costs more than it gains under emulation; the agents the tests start are JVMs too, and a restarted
# one took over 120 s to answer once while ./test.sh's panel lane ran its packaged panels beside this guest
export CLASSPATH=$classpath JAVA_TOOL_OPTIONS="-XX:TieredStopAtLevel=1 -Dcorral.test.agent-start-seconds=360"
${CORRAL_V2_COMMAND:-java org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors --details=testfeed \
  --reports-dir=$RUN/reports ${selectors[*]}}
echo \$? > $RUN/exit-code
sync
busybox poweroff -f
EOF

echo "== cgroup v2 guest: ${#TESTS[@]} test classes (deadline ${DEADLINE}s) =="
kernel=$(ls "$ROOT"/boot/vmlinuz-*)
started=$(date +%s)
set +e
LD_LIBRARY_PATH="$LIBRARIES" timeout -k 10 "$DEADLINE" "$ROOT/usr/bin/qemu-system-x86_64" -L "$ROOT/usr/share/seabios" -L "$ROOT/usr/share/qemu" \
  -accel tcg -m 2048 -smp 2 -nographic -no-reboot -nic none \
  -kernel "$kernel" -initrd "$CACHE/initrd.cpio.gz" -append "console=ttyS0 quiet panic=-1" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap,id=hostroot \
  -virtfs local,path="$AGENT_DIR",mount_tag=agent,security_model=none,readonly=on,multidevs=remap,id=agent \
  -virtfs local,path="$RUN",mount_tag=work,security_model=none,id=work \
  -drive file="$RUN/scratch.img",if=virtio,format=raw,cache=unsafe \
  -device virtio-rng-pci </dev/null
qemu=$?
set -e
rm -f "$RUN/scratch.img"
echo "== cgroup v2 guest: $(($(date +%s) - started)) s =="
if [ "$qemu" -eq 124 ] || [ "$qemu" -eq 137 ]; then
  die "the guest did not finish within ${DEADLINE}s"
fi
[ -f "$RUN/exit-code" ] || die "the guest stopped before the tests ended (QEMU exited $qemu)"
code=$(cat "$RUN/exit-code")
[ "$code" -eq 0 ] || die "tests failed in the cgroup v2 guest (exit $code; reports in $RUN/reports)"
echo "all tests passed on cgroup v2"
