/*
 * net-probe: what a server's root can send with the raw sockets it keeps (net_raw), to show that the
 * host's anti-spoofing drops it, and a listener for the test's outside namespace.
 *
 *   net-probe udp4 SRC DST PORT PAYLOAD              an IPv4 UDP datagram from any source (IP_HDRINCL)
 *   net-probe udp6 SRC DST PORT PAYLOAD              an IPv6 UDP datagram from any source (IPPROTO_RAW)
 *   net-probe ether IFACE SRCMAC DSTMAC SRC DST PORT PAYLOAD  the same IPv4 datagram in an Ethernet frame from any MAC
 *   net-probe large4 DST PORT LENGTH                 LENGTH bytes of 'x' in one IPv4 UDP datagram, which the stack fragments
 *   net-probe listen PORT SECONDS                    prints "PAYLOAD from ADDRESS" for each datagram on PORT
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_packet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(1);
}

static uint16_t checksum(const void *data, size_t length, uint32_t sum) {
    const uint8_t *bytes = data;
    for (size_t i = 0; i + 1 < length; i += 2) {
        sum += (uint32_t) (bytes[i] << 8 | bytes[i + 1]);
    }
    if (length & 1) {
        sum += (uint32_t) (bytes[length - 1] << 8);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return htons((uint16_t) ~sum);
}

/* An IPv4 header and UDP datagram into packet; returns its length. */
static size_t udp4(uint8_t *packet, const char *src, const char *dst, int port, const char *payload) {
    size_t length = 20 + 8 + strlen(payload);
    memset(packet, 0, 28);
    packet[0] = 0x45;
    packet[2] = (uint8_t) (length >> 8);
    packet[3] = (uint8_t) length;
    packet[8] = 64;
    packet[9] = IPPROTO_UDP;
    if (inet_pton(AF_INET, src, packet + 12) != 1 || inet_pton(AF_INET, dst, packet + 16) != 1) {
        die("an IPv4 address");
    }
    uint16_t sum = checksum(packet, 20, 0);
    memcpy(packet + 10, &sum, 2);
    packet[20] = 0x9c; /* source port 40000 */
    packet[21] = 0x40;
    packet[22] = (uint8_t) (port >> 8);
    packet[23] = (uint8_t) port;
    packet[24] = (uint8_t) ((length - 20) >> 8);
    packet[25] = (uint8_t) (length - 20); /* checksum 0: none, as IPv4 allows */
    memcpy(packet + 28, payload, strlen(payload));
    return length;
}

static void send_udp4(const char *src, const char *dst, int port, const char *payload) {
    uint8_t packet[1500];
    size_t length = udp4(packet, src, dst, port, payload);
    int s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    struct sockaddr_in to = {.sin_family = AF_INET};
    memcpy(&to.sin_addr, packet + 16, 4);
    if (s < 0 || sendto(s, packet, length, 0, (struct sockaddr *) &to, sizeof to) < 0) {
        die("send IPv4");
    }
}

static void send_udp6(const char *src, const char *dst, int port, const char *payload) {
    uint8_t packet[1500] = {0};
    size_t udp_length = 8 + strlen(payload);
    packet[0] = 0x60;
    packet[4] = (uint8_t) (udp_length >> 8);
    packet[5] = (uint8_t) udp_length;
    packet[6] = IPPROTO_UDP;
    packet[7] = 64;
    if (inet_pton(AF_INET6, src, packet + 8) != 1 || inet_pton(AF_INET6, dst, packet + 24) != 1) {
        die("an IPv6 address");
    }
    uint8_t *udp = packet + 40;
    udp[0] = 0x9c;
    udp[1] = 0x40;
    udp[2] = (uint8_t) (port >> 8);
    udp[3] = (uint8_t) port;
    udp[4] = (uint8_t) (udp_length >> 8);
    udp[5] = (uint8_t) udp_length;
    memcpy(udp + 8, payload, strlen(payload));
    /* pseudo-header: both addresses, the length and the next header */
    uint32_t sum = 0;
    for (int i = 8; i < 40; i += 2) {
        sum += (uint32_t) (packet[i] << 8 | packet[i + 1]);
    }
    sum += (uint32_t) udp_length + IPPROTO_UDP;
    uint16_t check = checksum(udp, udp_length, sum);
    memcpy(udp + 6, &check, 2);
    int s = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
    struct sockaddr_in6 to = {.sin6_family = AF_INET6};
    memcpy(&to.sin6_addr, packet + 24, 16);
    if (s < 0 || sendto(s, packet, 40 + udp_length, 0, (struct sockaddr *) &to, sizeof to) < 0) {
        die("send IPv6");
    }
}

static void mac(const char *text, uint8_t *into) {
    if (sscanf(text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", into, into + 1, into + 2, into + 3, into + 4, into + 5) != 6) {
        die("a MAC");
    }
}

static void send_ether(const char *iface, const char *from, const char *to, const char *src, const char *dst, int port,
                       const char *payload) {
    uint8_t frame[1514];
    mac(to, frame);
    mac(from, frame + 6);
    frame[12] = 0x08;
    frame[13] = 0x00;
    size_t length = 14 + udp4(frame + 14, src, dst, port, payload);
    int s = socket(AF_PACKET, SOCK_RAW, htons(0x0800));
    struct sockaddr_ll link = {.sll_family = AF_PACKET, .sll_ifindex = (int) if_nametoindex(iface), .sll_halen = 6};
    memcpy(link.sll_addr, frame, 6);
    if (s < 0 || sendto(s, frame, length, 0, (struct sockaddr *) &link, sizeof link) < 0) {
        die("send the frame");
    }
}

static void send_large4(const char *dst, int port, int length) {
    static char payload[65507];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (length < 1 || length > (int) sizeof payload || inet_pton(AF_INET, dst, &to.sin_addr) != 1) {
        fprintf(stderr, "large4: a length of 1-%zu and an IPv4 destination\n", sizeof payload);
        exit(2);
    }
    memset(payload, 'x', (size_t) length);
    if (s < 0 || sendto(s, payload, (size_t) length, 0, (struct sockaddr *) &to, sizeof to) < 0) {
        die("send the large datagram");
    }
}

static void listen_udp(int port, int seconds) {
    int s = socket(AF_INET6, SOCK_DGRAM, 0), off = 0;
    struct sockaddr_in6 at = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t) port), .sin6_addr = IN6ADDR_ANY_INIT};
    struct timeval tick = {.tv_sec = 0, .tv_usec = 100000};
    if (s < 0 || setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0
            || setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick) != 0 || bind(s, (struct sockaddr *) &at, sizeof at) != 0) {
        die("listen");
    }
    printf("listening\n");
    fflush(stdout);
    time_t end = time(NULL) + seconds;
    while (time(NULL) < end) {
        static char payload[65536];
        char from[INET6_ADDRSTRLEN];
        struct sockaddr_in6 peer;
        socklen_t peer_length = sizeof peer;
        ssize_t n = recvfrom(s, payload, sizeof payload - 1, 0, (struct sockaddr *) &peer, &peer_length);
        if (n >= 0) {
            payload[n] = '\0';
            printf("%s from %s\n", payload, inet_ntop(AF_INET6, &peer.sin6_addr, from, sizeof from));
            fflush(stdout);
        }
    }
}

int main(int argc, char **argv) {
    if (argc == 6 && strcmp(argv[1], "udp4") == 0) {
        send_udp4(argv[2], argv[3], atoi(argv[4]), argv[5]);
    } else if (argc == 6 && strcmp(argv[1], "udp6") == 0) {
        send_udp6(argv[2], argv[3], atoi(argv[4]), argv[5]);
    } else if (argc == 9 && strcmp(argv[1], "ether") == 0) {
        send_ether(argv[2], argv[3], argv[4], argv[5], argv[6], atoi(argv[7]), argv[8]);
    } else if (argc == 5 && strcmp(argv[1], "large4") == 0) {
        send_large4(argv[2], atoi(argv[3]), atoi(argv[4]));
    } else if (argc == 4 && strcmp(argv[1], "listen") == 0) {
        listen_udp(atoi(argv[2]), atoi(argv[3]));
    } else {
        fprintf(stderr, "usage: net-probe udp4|udp6 SRC DST PORT PAYLOAD | ether IFACE SRCMAC DSTMAC SRC DST PORT PAYLOAD | large4 DST PORT LENGTH "
                "| listen PORT SECONDS\n");
        return 2;
    }
    return 0;
}
