package io.corral.panel.agent;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.corral.panel.limits.Limits;
import io.corral.panel.limits.Rates;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The panel's only way to host agents: calls over HTTPS, trusting only the certificate pinned for each
 * host. A failure becomes an {@link AgentException} carrying the agent's own message (its problem
 * detail), or saying that the agent could not be reached or gave no whole answer in the call's time, presented another
 * certificate, or answered what the panel does not read (more than the call takes, or not the JSON asked for). Every
 * answer is bounded ({@link AgentHttp}): an agent's host may have been taken over.
 */
@ApplicationScoped
public class AgentClient {
    /** How long an ordinary call may take to answer: a stop waits out the server's grace, a create makes its disk. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    /**
     * A change of limits: the live ones answer in milliseconds; a disk's check and resize may take many minutes, which no
     * worker thread waits out: sent again by the operation's next attempt, the change is answered as it went, and busy
     * meanwhile (operation/OperationWorker).
     */
    private static final Duration LIMITS = Duration.ofSeconds(20);
    /** A template's build: a Debian root is fetched and unpacked. */
    private static final Duration TEMPLATE_BUILD = Duration.ofMinutes(15);
    /** A move's copy of a whole disk, the agent's bound on any answer. */
    private static final Duration MOVE = Duration.ofHours(2);
    /** How much longer than its command an exec may take to answer: the agent ends the command at its timeout. */
    private static final Duration EXEC_MARGIN = Duration.ofSeconds(30);
    /** The most of an answer the panel reads: most are a few KiB; a host's servers and an exec's output more. */
    private static final int SMALL = 1 << 20, LARGE = 16 << 20;
    /** The most characters of an agent's refusal the panel keeps: its detail, and the field it names. */
    private static final int MAX_DETAIL = 1000, MAX_FIELD = 100;
    /** A batch of sampling rounds: about 20,000 server samples, 12 MB of the agent's indented JSON (UsageIngest asks for so many). */
    static final int ROUNDS = 32 << 20;
    /**
     * The most JSON tokens the panel takes of an answer, so that a hostile one made of empty objects cannot become hundreds
     * of MB of records: the largest batch of rounds has about 700,000.
     */
    private static final long TOKENS = 1_000_000;
    private static final JavaType SERVER_LIST = TypeFactory.defaultInstance().constructCollectionType(List.class, ServerState.class);
    private static final JavaType SAMPLE_ROUNDS = TypeFactory.defaultInstance().constructCollectionType(List.class, SampleRound.class);
    private static final JavaType VOID = type(Void.class);
    @Inject
    ObjectMapper json;
    @Inject
    Vertx vertx;
    private ObjectMapper answers;
    private AgentHttp http;

    @PostConstruct
    void start() {
        answers = json.copy();
        answers.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxTokenCount(TOKENS).build());
        http = new AgentHttp(vertx);
    }

    @PreDestroy
    void stop() {
        http.close();
    }

    public HostFacts host(Agent agent) {
        return call(agent, GET, "/v1/host", null, HostFacts.class);
    }

    public List<ServerState> servers(Agent agent) {
        return call(agent, GET, "/v1/servers", null, LARGE, SERVER_LIST);
    }

    /** The server as the agent has it; empty if the agent has no such server. */
    public Optional<ServerState> server(Agent agent, String id) {
        try {
            return Optional.of(call(agent, GET, server(id), null, ServerState.class));
        } catch (AgentException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Makes the server, and with start boots it too: one call to the state it should reach. network: its
     * place on a network, null for a server with loopback only; firewall: null for one never set (open);
     * forwards: null for none; credentials: null for none.
     */
    public ServerState create(Agent agent, String id, String hostname, String template, Limits limits, Rates rates, boolean start,
                              NetworkSpec network, FirewallSpec firewall, List<ForwardSpec> forwards, CredentialsSpec credentials) {
        return create(agent, id, hostname, template, limits, rates, start, network, firewall, forwards, credentials, null);
    }

    /** As {@link #create}; with moveToken, as the receiving end of a move, which the sending agent reaches with that token. */
    public ServerState create(Agent agent, String id, String hostname, String template, Limits limits, Rates rates, boolean start,
                              NetworkSpec network, FirewallSpec firewall, List<ForwardSpec> forwards, CredentialsSpec credentials,
                              String moveToken) {
        return call(agent, POST, "/v1/servers", new AgentDtos.Create(id, hostname, template,
                new AgentDtos.AgentLimits(limits, rates), start, network, firewall, forwards, credentials, moveToken), ServerState.class);
    }

    /** Builds the template on the host where it is missing (a Debian one takes a minute or more); one it has is left alone. */
    public void buildTemplate(Agent agent, String template) {
        longCall(agent, POST, "/v1/templates/" + segment(template) + "/build", null, TEMPLATE_BUILD, "template", SMALL, VOID);
    }

    /**
     * Sends the server from the agent to the receiving one (a server made there as the receiving end with the same token):
     * copied while it runs, stopped, the rest copied and checked there. Answers when the receiver has committed; the
     * server is then stopped here. A whole disk's copy may take long: the answer is awaited for {@link #MOVE}.
     */
    public MoveSent send(Agent from, String id, Agent to, String token) {
        return longCall(from, POST, server(id) + "/send", new AgentDtos.Send(to.url(), to.fingerprint(), token), MOVE, null, SMALL,
                type(MoveSent.class));
    }

    /** start, stop, restart or reinstall. */
    public ServerState act(Agent agent, String id, String action) {
        return call(agent, POST, server(id) + "/" + segment(action), null, ServerState.class);
    }

    /**
     * A fresh root filesystem; a server on a network is sent its network again (net-contract.md), and its
     * firewall where one was set, its forwards and root's credentials (null: none); a server with none of them
     * gets no body.
     */
    public ServerState reinstall(Agent agent, String id, NetworkSpec network, FirewallSpec firewall, List<ForwardSpec> forwards,
                                 CredentialsSpec credentials) {
        return network == null && firewall == null && forwards == null && credentials == null ? act(agent, id, "reinstall")
                : call(agent, POST, server(id) + "/reinstall", new AgentDtos.Reinstall(network, firewall, forwards, credentials),
                        ServerState.class);
    }

    /** Replaces root's SSH keys: written into a running server at once, into a stopped one at its next boot. */
    public void sshKeys(Agent agent, String id, List<String> keys) {
        call(agent, PUT, server(id) + "/ssh-keys", new AgentDtos.SshKeys(keys), Void.class);
    }

    /** Replaces the server's port forwards whole, at once whether it runs or not. */
    public List<ForwardSpec> forwards(Agent agent, String id, List<ForwardSpec> forwards) {
        return call(agent, PUT, server(id) + "/forwards", new AgentDtos.Forwards(forwards), AgentDtos.Forwards.class).forwards();
    }

    /** The server's forwards as its agent holds them. */
    public List<ForwardSpec> forwardsOf(Agent agent, String id) {
        return call(agent, GET, server(id) + "/forwards", null, AgentDtos.Forwards.class).forwards();
    }

    /** The server's firewall as its agent holds it (open, allow and no rules, when never set). */
    public FirewallSpec firewallOf(Agent agent, String id) {
        return call(agent, GET, server(id) + "/firewall", null, FirewallSpec.class);
    }

    /** Replaces the server's firewall: at once on a running server, from its next boot on a stopped one. */
    public FirewallSpec firewall(Agent agent, String id, FirewallSpec firewall) {
        return call(agent, PUT, server(id) + "/firewall", firewall, FirewallSpec.class);
    }

    /**
     * All of the server's limits, its plan's rates with them, as the operation's: the agent answers the same operation
     * sent again as it went (412 if refused), and refuses one older than the last it had (412).
     */
    public ServerState limits(Agent agent, String id, Limits limits, Rates rates, long operation) {
        return call(agent, PUT, server(id) + "/limits?operation=" + operation, new AgentDtos.AgentLimits(limits, rates), AgentHttp.Lane.SHORT,
                LIMITS, null, SMALL, type(ServerState.class));
    }

    public void destroy(Agent agent, String id) {
        call(agent, DELETE, server(id), null, Void.class);
    }

    /**
     * Snapshots the server's disk (a running one frozen for the copy); the same id again gives the snapshot made
     * already, so a retry after a lost answer makes none twice.
     */
    public DiskSnapshot snapshot(Agent agent, String id, String snapshotId) {
        return call(agent, POST, server(id) + "/snapshots", new AgentDtos.Copy(snapshotId), DiskSnapshot.class);
    }

    /** Puts the server's disk back to the snapshot's (stopped for it, started again if it ran); the snapshot stays. */
    public ServerState restoreSnapshot(Agent agent, String id, String snapshotId) {
        return call(agent, POST, server(id) + "/snapshots/" + segment(snapshotId) + "/restore", null, ServerState.class);
    }

    /** Deletes the snapshot; one already gone counts as deleted. */
    public void deleteSnapshot(Agent agent, String id, String snapshotId) {
        call(agent, DELETE, server(id) + "/snapshots/" + segment(snapshotId), null, Void.class);
    }

    /** Backs the server's disk up to the host's backup store, incrementally; idempotent on the backup's id as a snapshot is. */
    public DiskBackup backup(Agent agent, String id, String backupId) {
        return call(agent, POST, server(id) + "/backups", new AgentDtos.Copy(backupId), DiskBackup.class);
    }

    /**
     * Puts a backup of the server sourceId (this one or another) in place of the server's disk, checking every chunk
     * first: a backup that fails its checksum is refused (422 naming backupId) with the server unchanged.
     */
    public ServerState restoreBackup(Agent agent, String id, String sourceId, String backupId) {
        return call(agent, POST, server(id) + "/restore", new AgentDtos.Restore(sourceId, backupId), ServerState.class);
    }

    /** The compressed bytes the server's backups take in its host's store, each chunk counted once however many share it. */
    public long backupStorage(Agent agent, String id) {
        return call(agent, GET, server(id) + "/backup-storage", null, AgentDtos.BackupStorage.class).storedBytes();
    }

    /** Deletes the backup of the server id from the host's store, and the chunks no other backup uses. */
    public void deleteBackup(Agent agent, String id, String backupId) {
        call(agent, DELETE, server(id) + "/backups/" + segment(backupId), null, Void.class);
    }

    /** Runs a command in the server; the agent answers when it has ended, at its timeout at the latest. A 400 is the command's fault. */
    public ExecOutput exec(Agent agent, String id, List<String> command, int timeoutSeconds) {
        return longCall(agent, POST, server(id) + "/exec", new AgentDtos.Exec(command, timeoutSeconds),
                Duration.ofSeconds(timeoutSeconds).plus(EXEC_MARGIN), "command", LARGE, type(ExecOutput.class));
    }

    /**
     * A console session in the running server: a ticket from the agent's API, then its console
     * listener (see {@link AgentConsole}). A server past its bound of sessions is the agent's 429.
     */
    public AgentConsole console(Agent agent, String id) {
        AgentDtos.ConsoleTicket ticket = call(agent, POST, server(id) + "/console", null, AgentDtos.ConsoleTicket.class);
        return AgentConsole.connect(agent, ticket.port(), ticket.token());
    }

    public IsolationReport isolation(Agent agent, String id) {
        return call(agent, GET, server(id) + "/isolation", null, IsolationReport.class);
    }

    /** At most limit bytes of the server's console log after the offset after (null: its last ones). */
    public ConsoleChunk console(Agent agent, String id, Long after, int limit) {
        return call(agent, GET, server(id) + "/console?limit=" + limit + (after == null ? "" : "&after=" + after), null,
                ConsoleChunk.class);
    }

    /** The agent's sampling rounds after the given one, at most limit of them. */
    public List<SampleRound> samples(Agent agent, long after, int limit) {
        return call(agent, GET, "/v1/samples?after=" + after + "&limit=" + limit, null, ROUNDS, SAMPLE_ROUNDS);
    }

    /** The SHA-256 fingerprint of the certificate the agent at this https:// address presents; nothing is sent to it. */
    public String presentedFingerprint(String url) throws IOException {
        return PresentedCertificate.fingerprint(url);
    }

    private <T> T call(Agent agent, HttpMethod method, String path, Object body, Class<T> answer) {
        return call(agent, method, path, body, AgentHttp.Lane.SHORT, READ_TIMEOUT, null, SMALL, type(answer));
    }

    private <T> T call(Agent agent, HttpMethod method, String path, Object body, int maxBytes, JavaType answer) {
        return call(agent, method, path, body, AgentHttp.Lane.SHORT, READ_TIMEOUT, null, maxBytes, answer);
    }

    /** A call that may take long (an exec, a move's copy, a template's build): it takes the agent's other pool. */
    private <T> T longCall(Agent agent, HttpMethod method, String path, Object body, Duration time, String field, int maxBytes,
                           JavaType answer) {
        return call(agent, method, path, body, AgentHttp.Lane.LONG, time, field, maxBytes, answer);
    }

    /**
     * lane: the agent's pool it takes; time: how long the whole answer may take; field: the request field a refusal of bad
     * input (the agent's 400) names; maxBytes: the most of its answer the panel reads; answer: what a success carries
     * (Void: nothing read).
     */
    private <T> T call(Agent agent, HttpMethod method, String path, Object body, AgentHttp.Lane lane, Duration time, String field,
                       int maxBytes, JavaType answer) {
        if (agent.fingerprint() == null) {
            throw new AgentException(0, null, r -> r.agent_not_pinned(agent.host()));
        }
        try {
            Buffer sent = body == null ? null : Buffer.buffer(json.writeValueAsBytes(body));
            return http.exchange(agent, lane, method, path, sent, time, maxBytes, answered -> taken(agent, field, answered, answer));
        } catch (AgentHttp.TooLong e) {
            throw unreadable(agent, e.getMessage());
        } catch (AgentHttp.NoRoom e) {
            throw new AgentException(0, null, r -> r.agent_no_room(agent.host(), e.getMessage()));
        } catch (TimeoutException e) {
            throw new AgentException(0, null, r -> r.agent_unreachable(agent.host(), agent.url(), "no whole answer within "
                    + time.toSeconds() + " s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(0, null, r -> r.agent_unreachable(agent.host(), agent.url(), "interrupted"));
        } catch (IOException e) {
            Optional<CertificatePin.Mismatch> mismatch = mismatch(e);
            if (mismatch.isPresent()) {
                throw new AgentException(0, null, r -> r.agent_certificate_refused(agent.host(), agent.url(), mismatch.get().getMessage()));
            }
            String reason = rootMessage(e);
            throw new AgentException(0, null, r -> r.agent_unreachable(agent.host(), agent.url(), reason));
        }
    }

    /** What a whole answer carries (answer; Void: nothing), or the agent's refusal as an AgentException naming field. */
    private <T> T taken(Agent agent, String field, AgentHttp.Answer answered, JavaType answer) {
        int status = answered.status();
        if (status / 100 != 2) {
            AgentDtos.Problem problem;
            try {
                problem = answers.readValue(body(answered), AgentDtos.Problem.class);
            } catch (IOException unreadable) {
                problem = new AgentDtos.Problem(status, "HTTP " + status, null);
            }
            // the agent names the field of what it could not take (a backup that failed its checksum); a 400 is the request's
            // "null" where the agent gave none, as before: a message leaves out a null. Both bounded: they are kept (a host's
            // heartbeat error, an operation's error, the audit) and shown
            String detail = bounded(String.valueOf(problem.detail()), MAX_DETAIL);
            String named = status != 422 ? field : problem.field() == null ? null : bounded(problem.field(), MAX_FIELD);
            throw new AgentException(status, named, r -> r.agent_answered(agent.host(), detail));
        }
        if (answer.hasRawClass(Void.class)) {
            return null;
        }
        try {
            return answers.readerFor(answer).readValue(body(answered));
        } catch (IOException e) {
            throw unreadable(agent, e instanceof JsonProcessingException malformed ? malformed.getOriginalMessage() : e.getMessage());
        }
    }

    /** The answer's bytes as read, not copied. */
    private static InputStream body(AgentHttp.Answer answered) {
        return new ByteBufInputStream(answered.body().getByteBuf());
    }

    private static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** reason: ours, or the JSON parser's, which may quote the answer: bounded as a refusal's detail is. */
    private static AgentException unreadable(Agent agent, String reason) {
        String kept = bounded(String.valueOf(reason), MAX_DETAIL);
        return new AgentException(0, null, r -> r.agent_answer_unreadable(agent.host(), kept));
    }

    private static JavaType type(Class<?> type) {
        return TypeFactory.defaultInstance().constructType(type);
    }

    /** The server's path in the agent's API. */
    private static String server(String id) {
        return "/v1/servers/" + segment(id);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Optional<CertificatePin.Mismatch> mismatch(Throwable t) {
        for (; t != null; t = t.getCause()) {
            if (t instanceof CertificatePin.Mismatch m) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
