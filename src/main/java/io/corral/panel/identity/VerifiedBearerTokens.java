package io.corral.panel.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.oidc.runtime.OidcUtils;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Trusts an API bearer token that OIDC has verified once until the token expires, instead of
 * verifying its signature and parsing its claims again on every call: that cost more CPU than the
 * rest of a server list (bench/RESULTS.md), and Quarkus keeps no such cache (quarkus#29777).
 * <p>
 * On the way in, as an HTTP mechanism ahead of OIDC's, a known token gets the identity OIDC made of
 * it, without OIDC decoding the token again; an unknown one passes on to OIDC. On the way out, as the
 * last augmentor, so it keeps the identity as a fresh verification leaves it, a verified bearer token
 * is remembered. Only the exact token string under the OIDC tenant that verified it matches (the
 * request's tenant is {@link ApiTenant}'s answer, the one OIDC uses), so a changed byte is verified
 * afresh; an entry ends at the token's exp, the same instant OIDC stops accepting it. What a token does
 * not carry (a user disabled in Keycloak, a rotated key) is no more checked than OIDC checks it locally.
 * Roles and claims are kept; OIDC's scope permissions are not (the panel authorises by roles), so a
 * permission check on a remembered identity fails closed.
 */
@ApplicationScoped
public class VerifiedBearerTokens implements HttpAuthenticationMechanism, SecurityIdentityAugmentor {
    /** Bounds the memory a flood of distinct valid tokens can take (a few KiB each); an evicted token is just verified again. */
    static final int MAX_TOKENS = 4096;
    private static final String BEARER = "bearer ";
    /** Attributes of one request, not of the token: never kept, set afresh from the request that presents it. */
    private static final String ROUTING_CONTEXT = RoutingContext.class.getName(),
            REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();

    private final Cache<Key, SecurityIdentity> verified = Caffeine.newBuilder().maximumSize(MAX_TOKENS).recordStats()
            .expireAfter(Expiry.creating((Key key, SecurityIdentity identity) -> untilExpiry(identity))).build();
    private final ApiTenant tenants;

    /** Hits, misses and evictions at /q/metrics as cache_gets_total{cache="verified-bearer-tokens"} and its kin. */
    @Inject
    VerifiedBearerTokens(MeterRegistry metrics, ApiTenant tenants) {
        this.tenants = tenants;
        CaffeineCacheMetrics.monitor(metrics, verified, "verified-bearer-tokens");
    }

    private record Key(String oidcTenant, String token) {
    }

    /** Ahead of OIDC's mechanism (DEFAULT_PRIORITY + 1 unless configured). */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext http, IdentityProviderManager identities) {
        String header = http.request().headers().get(HttpHeaders.AUTHORIZATION);
        String oidcTenant = header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? null : tenants.resolve(http);
        SecurityIdentity known = oidcTenant == null ? null : verified.getIfPresent(new Key(oidcTenant, header.substring(BEARER.length())));
        if (known == null) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(known).addAttribute(ROUTING_CONTEXT, http).build());
    }

    /** An unknown or missing token is OIDC's to challenge. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext http) {
        return Uni.createFrom().nullItem();
    }

    /** After every other augmentor. */
    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        bearerKey(identity).filter(key -> !verified.asMap().containsKey(key))
                .ifPresent(key -> verified.put(key, withoutRequest(identity)));
        return Uni.createFrom().item(identity);
    }

    /**
     * Forgets every remembered token the test picks (of a revoked client, of a suspended or deleted tenant): presented
     * again, it is verified afresh, and every augmentor judges it again.
     */
    public void forget(Predicate<JsonWebToken> which) {
        verified.asMap().values().removeIf(identity -> which.test((JsonWebToken) identity.getPrincipal()));
    }

    /** Whether the token is remembered under that OIDC tenant (for diagnostics and tests). */
    public boolean remembers(String oidcTenant, String token) {
        return verified.getIfPresent(new Key(oidcTenant, token)) != null;
    }

    /** Bearer identities only: a browser session's identity (it carries an ID token) is OIDC's to refresh. */
    private static Optional<Key> bearerKey(SecurityIdentity identity) {
        AccessTokenCredential bearer = identity.getCredential(AccessTokenCredential.class);
        if (identity.isAnonymous() || bearer == null || identity.getCredential(IdTokenCredential.class) != null
                || !(identity.getPrincipal() instanceof JsonWebToken)
                || !(identity.getAttribute(OidcUtils.TENANT_ID_ATTRIBUTE) instanceof String oidcTenant)) {
            return Optional.empty();
        }
        return Optional.of(new Key(oidcTenant, bearer.getToken()));
    }

    private static SecurityIdentity withoutRequest(SecurityIdentity identity) {
        Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
        attributes.remove(ROUTING_CONTEXT);
        attributes.remove(REQUEST_CONTEXT);
        return QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal()).addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials()).addAttributes(attributes).build();
    }

    private static Duration untilExpiry(SecurityIdentity identity) {
        long expires = ((JsonWebToken) identity.getPrincipal()).getExpirationTime();
        Duration left = Duration.between(Instant.now(), Instant.ofEpochSecond(expires));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
