package io.corral.agent.containment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.agent.TestHost;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The escape suite on a Debian bookworm server (debootstrap minbase, sysvinit as PID 1): the same
 * probes refused, and an ordinary Debian workload — its shell, its package manager, a web server on
 * loopback — still runs under the same containment.
 */
class DebianEscapeTest extends EscapeTest {
    @Override
    String template() {
        return "debian";
    }

    @Override
    List<String> webServerOnLoopback() {
        // minbase has perl-base and bash: a small server, and a /dev/tcp client that tries until it listens
        return List.of("bash", "-c", "perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => \"127.0.0.1:8080\", Listen => 5, ReuseAddr => 1)"
                + " or die $!; while ($c = $s->accept) { <$c>; print $c \"HTTP/1.0 200 OK\\r\\n\\r\\nserved on loopback\\n\"; close $c }' &"
                + " for i in $(seq 100); do out=$( (exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3"
                + " && cat <&3) 2>/dev/null ) && break; sleep 0.02; done; kill $!; printf '%s\\n' \"$out\" | sed '1,/^\\r$/d'");
    }

    @Test
    void thePackageManagerListsThePackages() {
        String packages = TestHost.sh(agent(), A, "dpkg-query -W -f '${Package}\\n'");
        assertTrue(packages.lines().anyMatch("sysvinit-core"::equals), packages);
        assertTrue(packages.lines().count() > 50, "a Debian system's packages: " + packages.lines().count());
    }
}
