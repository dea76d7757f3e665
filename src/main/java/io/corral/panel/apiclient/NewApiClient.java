package io.corral.panel.apiclient;

/**
 * A client just made, with its secret: on this answer only (the panel keeps it nowhere). tokenUrl: where a script
 * trades the client id and secret for a token (OAuth 2 client credentials).
 */
public record NewApiClient(ApiClientView client, String secret, String tokenUrl) {
}
