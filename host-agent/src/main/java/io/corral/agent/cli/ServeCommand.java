package io.corral.agent.cli;

import io.corral.agent.Agent;
import io.corral.agent.api.ApiServer;
import io.corral.agent.metering.Sampler;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Serve the HTTPS API for the panel (and reconcile servers first).")
final class ServeCommand extends Main.Sub {
    @Option(names = "--listen", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String listen;
    @Option(names = "--port", defaultValue = "8750", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--console-port", defaultValue = "8751", description = "Port of the console sessions' TLS listener, on the same address (0: any free one; default: ${DEFAULT-VALUE}).")
    int consolePort;
    @Option(names = "--console-sessions", defaultValue = "4", description = "Console sessions a server may hold at once (default: ${DEFAULT-VALUE}).")
    int consoleSessions;
    @Option(names = "--sample-every", defaultValue = "10", description = "Seconds between usage samples of the host and its servers (default: ${DEFAULT-VALUE}).")
    double sampleEverySeconds;

    @Override
    public Integer call() throws Exception {
        Agent agent = main.agent();
        agent.servers().reconcile();
        ApiServer server = ApiServer.start(agent, listen, port, new ApiServer.Console(consolePort, consoleSessions));
        new Sampler(agent.meter(), agent.samples()).start(Duration.ofMillis((long) (sampleEverySeconds * 1000)));
        System.out.println("corral-agent serving on https://" + listen + ":" + server.port() + "/v1, consoles on port "
                + server.consolePort() + " (secret from " + server.secretSource() + "; certificate SHA-256 " + server.fingerprint() + ")");
        Thread.currentThread().join();
        return 0;
    }
}
