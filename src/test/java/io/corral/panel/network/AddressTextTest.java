package io.corral.panel.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.corral.panel.EmbeddedPostgresResource;
import io.corral.panel.KeycloakResource;
import io.corral.panel.common.DomainException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Addresses and prefixes are read as literals only and written as `ip` and PostgreSQL write them. In the app, as every
 * panel test: a refusal's words come from its message bundle.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class AddressTextTest {
    @Test
    void addressesAreWrittenInTheirShortestForm() {
        assertEquals("192.0.2.10", IpAddress.parseEither("a", "192.0.2.10").toString());
        assertEquals("2001:db8::10", IpAddress.parseEither("a", "2001:0DB8:0:0:0:0:0:10").toString());
        assertEquals("2001:db8:0:1::1", IpAddress.parseEither("a", "2001:db8:0:1:0:0:0:1").toString(), "the longest run of zeros goes");
        assertEquals("2001:db8::1:0:0:1", IpAddress.parseEither("a", "2001:db8:0:0:1:0:0:1").toString(), "the first of two equal runs");
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddress.parseEither("a", "2001:db8::1:1:1:1:1").toString(), "a single zero group stays");
        assertEquals("::", IpAddress.parseEither("a", "::").toString());
        assertEquals("::1", IpAddress.parseEither("a", "::1").toString());
        assertEquals("fe80::", IpAddress.parseEither("a", "fe80::").toString());
        assertEquals("192.0.2.11", IpAddress.parseEither("a", "192.0.2.10").plus(1).toString());
    }

    @Test
    void namesAndMalformedAddressesAreRefusedNamingTheField() {
        for (String bad : new String[] {"example.org", "localhost", "192.0.2", "192.0.2.256", "01.2.3.4", "1::2::3", "2001:db8:::1",
                "12345::", "1:2:3:4:5:6:7:8:9", "::ffff:192.0.2.1", "fe80::1%eth0", "", " 192.0.2.1"}) {
            DomainException e = assertThrows(DomainException.class, () -> IpAddress.parseEither("gateway4", bad), bad);
            assertEquals("gateway4", e.field(), bad);
        }
        assertEquals("gateway4", assertThrows(DomainException.class, () -> IpAddress.parse("gateway4", "2001:db8::1", 4)).field());
    }

    @Test
    void aPrefixHasNoHostBitsAndRoomForAGatewayAndServers() {
        Prefix p = Prefix.parse("ipv4Prefix", "192.0.2.0/24", 4);
        assertEquals("192.0.2.255", p.last().toString());
        assertTrue(p.contains(IpAddress.parseEither("a", "192.0.2.77")));
        assertFalse(p.contains(IpAddress.parseEither("a", "192.0.3.0")));
        assertTrue(p.overlaps(Prefix.parse("x", "192.0.0.0/16", 4)));
        assertFalse(p.overlaps(Prefix.parse("x", "198.51.100.0/24", 4)));
        assertEquals("2001:db8:1::/64", Prefix.parse("ipv6Prefix", "2001:db8:1:0::/64", 6).toString());
        assertEquals("2001:db8:1:0:ffff:ffff:ffff:ffff", Prefix.parse("ipv6Prefix", "2001:db8:1::/64", 6).last().toString());

        DomainException hostBits = assertThrows(DomainException.class, () -> Prefix.parse("ipv4Prefix", "192.0.2.5/24", 4));
        assertEquals("ipv4Prefix: 192.0.2.5/24 has host bits set: the network is 192.0.2.0/24", hostBits.getMessage());
        for (String bad : new String[] {"192.0.2.0/31", "10.0.0.0/7", "192.0.2.0", "192.0.2.0/", "192.0.2.0/x", "2001:db8::/64"}) {
            assertEquals("ipv4Prefix", assertThrows(DomainException.class, () -> Prefix.parse("ipv4Prefix", bad, 4), bad).field());
        }
        assertEquals("ipv6Prefix", assertThrows(DomainException.class, () -> Prefix.parse("ipv6Prefix", "2001:db8::/127", 6)).field());
    }
}
