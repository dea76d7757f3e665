package io.corral.agent.containment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cgroup v2 device program, for real: attached to a group of this host's cgroup2 tree (the
 * unified one beside v1 here, or /sys/fs/cgroup on a v2 host) and asked by the kernel when a
 * process of that group — and of no devices controller's group — makes and opens device nodes.
 */
class DeviceProgramTest {

    @Test
    void onlyTheAllowListedDevicesCanBeMadeOrOpened() throws Exception {
        Path tree = Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.procs")) ? Path.of("/sys/fs/cgroup/unified")
                : Path.of("/sys/fs/cgroup");
        assumeTrue(Files.exists(tree.resolve("cgroup.procs")), "no cgroup2 tree on this host");
        Path group = tree.resolve("corral-device-program-test");
        Path scratch = Files.createTempDirectory("devices");
        Files.createDirectories(group);
        try {
            DeviceProgram.attach(group);
            // a shell that joins the group, then tries: make and open a block device (the host's loop0),
            // make a char device off the list (/dev/mem's 1:1), make and read null and a pseudo-terminal's
            String script = "echo $$ > " + group.resolve("cgroup.procs") + " || exit 9\n"
                    + "cd " + scratch + "\n"
                    + "mknod blk b 7 0 2>/dev/null && echo made-block || echo refused-block\n"
                    + "head -c1 /dev/loop0 >/dev/null 2>&1 && echo opened-loop0 || echo refused-loop0\n"
                    + "mknod mem c 1 1 2>/dev/null && echo made-mem || echo refused-mem\n"
                    + "mknod null c 1 3 && cat null && echo made-null\n"
                    + "mknod pts c 136 7 && echo made-pts\n"
                    + "head -c4 /dev/zero | wc -c\n";
            Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
            assertEquals(List.of("refused-block", "refused-loop0", "refused-mem", "made-null", "made-pts", "4"), out);
        } finally {
            Files.deleteIfExists(group); // its only process has ended
            try (var files = Files.list(scratch)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(scratch);
        }
    }

    @Test
    void eachRuleIsAFewInstructionsEndingInRefusal() {
        byte[] code = DeviceProgram.instructions(List.of(DeviceProgram.Rule.parse("c 1:3 rwm"), DeviceProgram.Rule.parse("c 136:* rwm")));
        // 3 loads, 5 for a rule with a minor, 4 for a wildcard, 2 to refuse
        assertEquals((3 + 5 + 4 + 2) * 8, code.length);
        assertEquals(0x95, code[code.length - 8] & 0xff, "ends with exit");
    }
}
