# Sourced by every ops script: finds a JDK 21+ and exports JAVA_HOME and PATH.
# why: the machine's default java is 17 and Helidon 4 needs 21+; we never ask the user to pick one.
avatar_fleet_java_major() { # $1 = java binary; prints the feature version (17, 21, 25, ...)
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

avatar_fleet_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /usr/local/jdk*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(avatar_fleet_java_major "$candidate/bin/java")
    case "$major" in ''|*[!0-9]*) continue ;; esac
    if [ "$major" -ge 21 ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

if ! AVATAR_FLEET_JDK=$(avatar_fleet_find_jdk); then
  echo "avatar-fleet: no JDK 21 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$AVATAR_FLEET_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
