# Sourced by the benchmarks: makes a benchmark's work directory, and removes it once its agent is gone.

# Prints the new directory's path. Root of a server's user range walks through it to the server's
# root, so other users may pass through (mktemp makes it 0700).
make_work_dir() {
  local work
  work="$(mktemp -d "/var/tmp/$1-XXXX")"
  chmod 711 "$work"
  echo "$work"
}

# A server the agent could not destroy must not keep its disk mounted in the directory being removed.
remove_work_dir() {
  local work="$1" left
  left="$(grep -F " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r || true)"
  if [ -n "$left" ]; then
    echo "still mounted after the agent's cleanup, unmounting: $left" >&2
    echo "$left" | xargs -r -n1 umount -l
  fi
  rm -rf "$work"
}
