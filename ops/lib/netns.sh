# Sourced: creates a network namespace with a veth pair for WebRTC tests and deletes it on exit.
# why: libwebrtc gathers no ICE candidates on loopback; tests may only reach 127.0.0.1 or addresses
# in a namespace they made themselves, so media runs inside this one (10.77.x.1 <-> 10.77.x.2).
avatar_fleet_netns_up() {
  local octet=$(( ($$ % 200) + 20 ))
  AVATAR_FLEET_NETNS="avatar-fleet-test-$$"
  AVATAR_FLEET_NETNS_ADDRESSES="10.77.$octet.1,10.77.$octet.2"
  ip netns add "$AVATAR_FLEET_NETNS"
  trap 'ip netns del "$AVATAR_FLEET_NETNS" 2>/dev/null || true' EXIT
  ip netns exec "$AVATAR_FLEET_NETNS" sh -e -c "
    ip link set lo up
    ip link add v0 type veth peer name v1
    ip addr add 10.77.$octet.1/24 dev v0
    ip addr add 10.77.$octet.2/24 dev v1
    ip link set v0 up
    ip link set v1 up"
  export AVATAR_FLEET_NETNS AVATAR_FLEET_NETNS_ADDRESSES
}

# CMD inside the namespace made above (or the one AVATAR_FLEET_NETNS names)
in_ns() { ip netns exec "$AVATAR_FLEET_NETNS" "$@"; }
