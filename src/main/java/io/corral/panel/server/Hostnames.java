package io.corral.panel.server;

import com.ibm.icu.text.IDNA;
import io.corral.panel.common.DomainException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host names of servers. A server's host name, as the agent sets it and checks it, is an RFC 1123 name
 * in ASCII; a customer may order one in any script (ウェブ.example.jp), which is stored in its ASCII
 * form (xn--...) and shown in Unicode again.
 *
 * Conversion is UTS #46 (ICU4J) with non-transitional processing, the bidi and joiner rules and STD3's
 * letters-digits-hyphens: what browsers and registries apply today. java.net.IDN implements IDNA2003,
 * which maps ß and ς to other letters (a different domain from the one registered), knows only Unicode
 * 3.2, and has no bidi rule.
 */
final class Hostnames {
    private static final Pattern RFC1123 = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.USE_STD3_RULES | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ
            | IDNA.CHECK_CONTEXTO | IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.NONTRANSITIONAL_TO_UNICODE);

    private Hostnames() {
    }

    /** The name to store and give the agent: as entered when it is ASCII, else its ASCII form; refused naming the field. */
    static String ascii(String field, String name) {
        String ascii = name;
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
            IDNA.Info info = new IDNA.Info();
            ascii = UTS46.nameToASCII(name, new StringBuilder(), info).toString();
            if (info.hasErrors()) {
                String error = info.getErrors().iterator().next().name().toLowerCase(Locale.ROOT).replace('_', ' ');
                throw DomainException.invalid(field, r -> r.hostname_rule(field, error));
            }
        }
        if (!RFC1123.matcher(ascii).matches()) {
            throw DomainException.invalid(field, r -> r.hostname_rule(field, null));
        }
        return ascii;
    }

    /** The name to show: Unicode where it has xn-- labels that decode, else as stored. */
    static String unicode(String ascii) {
        if (!ascii.toLowerCase(Locale.ROOT).contains("xn--")) {
            return ascii;
        }
        IDNA.Info info = new IDNA.Info();
        String unicode = UTS46.nameToUnicode(ascii, new StringBuilder(), info).toString();
        return info.hasErrors() ? ascii : unicode;
    }
}
