package io.corral.agent.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.corral.agent.AgentProcess;
import io.corral.agent.Await;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Console sessions against a real agent and real servers: the shell runs inside the server (its PID
 * namespace, its hostname, a terminal of the server's own devpts), takes resizes and UTF-8, and ends
 * with the panel's connection or with the server; tickets are good once and bounded per server.
 */
class ConsoleTest {
    /** The agent's default --console-sessions, which the test agent keeps. */
    static final int PER_SERVER = 4;
    static Path state;
    static AgentProcess agent;

    @BeforeAll
    static void startAgent() throws Exception {
        state = Files.createTempDirectory("corral-console-test-");
        agent = new AgentProcess(state).start();
        agent.json("POST", "/v1/templates/busybox/build", null);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        agent.close();
        AgentProcess.cleanUp(state);
    }

    static void running(String id) throws IOException {
        agent.json("POST", "/v1/servers", "{\"id\":\"" + id + "\",\"hostname\":\"" + id + "\",\"template\":\"busybox\"}");
        agent.json("POST", "/v1/servers/" + id + "/start", null);
    }

    static ConsoleClient session(String id) throws IOException {
        JsonNode ticket = agent.json("POST", "/v1/servers/" + id + "/console", null);
        ConsoleClient client = new ConsoleClient(agent.fingerprint(), ticket.get("port").asInt(), ticket.get("token").asText());
        assertEquals("ok", client.answer());
        return client;
    }

    static String exec(String id, String script) throws IOException {
        return agent.json("POST", "/v1/servers/" + id + "/exec", "{\"command\":[\"sh\",\"-c\",\"" + script + "\"]}").get("stdout").asText();
    }

    @Test
    void theShellIsTheServersOnATerminalOfItsOwnDevpts() throws Exception {
        running("con-inside");
        try (ConsoleClient console = session("con-inside")) {
            console.type("echo host=$(hostname)=; echo pid=$$=; echo init=$(cat /proc/1/comm)=; echo tty=$(tty)=\n");
            String shown = console.awaitOutput("tty=/dev/pts/");
            assertTrue(shown.contains("host=con-inside="), shown);
            long init = agent.json("GET", "/v1/servers/con-inside", null).get("initPid").asLong();
            assertTrue(shown.contains("init=" + Files.readString(Path.of("/proc/" + init + "/comm")).trim() + "="),
                    "PID 1 as the shell sees it is the server's init: " + shown);
            int pid = number(shown, "pid=(\\d+)=");
            assertTrue(pid > 1 && pid < 100, "the shell's pid is one of the server's PID namespace: " + pid);

            // the shell's terminal, seen from the host, is on the server's devpts instance, not the host's
            Path shell = hostProcess(init, pid);
            Object terminal = Files.getAttribute(shell.resolve("fd/0"), "unix:dev");
            assertEquals(Files.getAttribute(Path.of("/proc/" + init + "/root/dev/pts"), "unix:dev"), terminal);
            assertNotEquals(Files.getAttribute(Path.of("/dev/pts"), "unix:dev"), terminal);

            console.resize(33, 101);
            console.type("echo size=$(stty size)=\n");
            console.awaitOutput("size=33 101=");
            console.type("printf '%s%s\\n' 日本 語\n");
            console.awaitOutput("日本語");

            console.type("exit\n");
            console.awaitEnd();
        }
        Await.until(ConsoleClient.WAIT, "the server's terminal freed", () -> {
            try {
                return exec("con-inside", "ls /dev/pts").trim().equals("ptmx");
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void closingTheConnectionHangsTheSessionUp() throws Exception {
        running("con-hangup");
        try (ConsoleClient console = session("con-hangup")) {
            console.type("sleep 1000\n");
            Await.until(ConsoleClient.WAIT, "sleep running", () -> psShows("con-hangup", "sleep 1000"));
        }
        Await.until(ConsoleClient.WAIT, "the session's processes gone", () -> !psShows("con-hangup", "sleep 1000"));
        assertEquals("ptmx", exec("con-hangup", "ls /dev/pts").trim());
    }

    @Test
    void aSessionEndsWhenItsServerStops() throws Exception {
        running("con-stop");
        try (ConsoleClient console = session("con-stop")) {
            console.type("echo ready=$((6*7))\n");
            console.awaitOutput("ready=42");
            agent.json("POST", "/v1/servers/con-stop/stop", null);
            console.awaitEnd();
        }
        assertEquals(409, agent.call("POST", "/v1/servers/con-stop/console", null).statusCode(), "no console of a stopped server");
        // the ended session gave its place back: all four are there again
        agent.json("POST", "/v1/servers/con-stop/start", null);
        List<ConsoleClient> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < PER_SERVER; i++) {
                sessions.add(session("con-stop"));
            }
        } finally {
            for (ConsoleClient c : sessions) {
                c.close();
            }
        }
    }

    @Test
    void ticketsAreGoodOnceAndBoundedPerServer() throws Exception {
        running("con-bound");
        JsonNode ticket = agent.json("POST", "/v1/servers/con-bound/console", null);
        try (ConsoleClient first = new ConsoleClient(agent.fingerprint(), ticket.get("port").asInt(), ticket.get("token").asText());
             ConsoleClient again = new ConsoleClient(agent.fingerprint(), ticket.get("port").asInt(), ticket.get("token").asText());
             ConsoleClient made = new ConsoleClient(agent.fingerprint(), ticket.get("port").asInt(), "A".repeat(43))) {
            assertEquals("ok", first.answer());
            assertTrue(again.answer().startsWith("refused: no such console ticket"), again.answer());
            assertTrue(made.answer().startsWith("refused: no such console ticket"), made.answer());
            for (int i = 1; i < PER_SERVER; i++) {
                assertEquals(201, agent.call("POST", "/v1/servers/con-bound/console", null).statusCode());
            }
            HttpResponse<String> refused = agent.call("POST", "/v1/servers/con-bound/console", null);
            assertEquals(429, refused.statusCode());
            assertTrue(refused.body().contains("already has 4 console sessions open, the most it may"), refused.body());
            assertEquals(401, agent.call("POST", "/v1/servers/con-bound/console", null, "wrong").statusCode());

            // a frame no panel sends ends the session, and nothing else
            first.send(new byte[] {'x', 0, 1, 'y'});
            first.awaitEnd();
        }
    }

    /** The host's /proc entry of the process whose pid in the server's PID namespace is pid. */
    static Path hostProcess(long init, int pid) throws IOException {
        String namespace = Files.readSymbolicLink(Path.of("/proc/" + init + "/ns/pid")).toString();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            return all.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return Files.readSymbolicLink(p.resolve("ns/pid")).toString().equals(namespace)
                            && Files.readAllLines(p.resolve("status")).stream().anyMatch(l -> l.matches("NSpid:\\s+\\d+\\s+" + pid));
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new AssertionError("no process " + pid + " in the server's PID namespace"));
        }
    }

    static boolean psShows(String id, String command) {
        try {
            return exec(id, "ps -o args").lines().anyMatch(l -> l.trim().equals(command));
        } catch (IOException e) {
            return false;
        }
    }

    static int number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return Integer.parseInt(m.group(1));
    }
}
