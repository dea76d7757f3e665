# Shared by run.sh and test.sh: what this machine needs, installed when we are root on Debian/Ubuntu.

# command → Debian package providing it
PREREQUISITES=(
  "file:file"
  "java:openjdk-17-jdk-headless"
  "mvn:maven"
  "busybox:busybox-static"
  "mkfs.ext4:e2fsprogs"
  "losetup:mount"
  "ip:iproute2"
  "iperf3:iperf3"
  "ssh:openssh-client"
  "rsync:rsync"
  "nft:nftables"
  "conntrack:conntrack"
  "ipcmk:util-linux"
  "curl:curl"
  "jq:jq"
  "unzip:unzip"
  "debootstrap:debootstrap"
  "gcc:gcc"
  "docker-compose:docker-compose"
  "chromium:chromium"
  "chromedriver:chromium-driver"
)

require_root_for_agent() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "The host agent builds virtual servers from namespaces, cgroups and loop devices: run this as root." >&2
    exit 1
  fi
}

install_prerequisites() {
  local missing=()
  for entry in "${PREREQUISITES[@]}"; do
    local cmd="${entry%%:*}" pkg="${entry##*:}"
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  # Debian's busybox package is dynamically linked and lacks the standalone shell the agent needs.
  if command -v busybox >/dev/null 2>&1 && ! file -L "$(command -v busybox)" 2>/dev/null | grep -q 'statically linked'; then
    missing+=("busybox-static")
  fi
  # The agent compiles its seccomp policy with libseccomp.
  if ! ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2'; then
    missing+=("libseccomp2")
  fi
  # The agent's corral-enter and the escape probe are linked statically: gcc needs libc.a.
  if command -v gcc >/dev/null 2>&1 && [ "$(gcc -print-file-name=libc.a)" = "libc.a" ]; then
    missing+=("libc6-dev")
  fi
  # Headless Chromium draws Japanese (console tests, screenshots) only with a Japanese font installed.
  if ! fc-list :lang=ja 2>/dev/null | grep -q .; then
    missing+=("fonts-ipafont-gothic")
  fi
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing packages: ${missing[*]} (install them with your package manager, then run again)." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
