package io.corral.panel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** GETs from this host to a server on an agent's bridge (documentation ranges only), as a visitor of the server would. */
final class ServerHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServerHttp() {
    }

    /** The body of a 200 answer within 2 seconds, or empty: refused, dropped, timed out or another status. */
    static Optional<String> get(String url) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? Optional.of(answer.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The body of a GET once the server answers (IPv6 addresses are usable after duplicate detection). */
    static String within(String url) {
        String[] body = new String[1];
        Await.until(url + " answering", Duration.ofSeconds(20), () -> {
            body[0] = get(url).orElse(null);
            return body[0] != null;
        });
        return body[0];
    }
}
