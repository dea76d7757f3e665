package io.corral.panel.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.corral.panel.common.Refusals;
import io.quarkus.qute.i18n.MessageBundle;
import org.junit.jupiter.api.Test;

/**
 * Every word a page shows comes from the message bundles, in English and in Japanese: a key missing from either
 * language, a Japanese message left in English, or a template's own text fails here. The same for the refusals' words
 * (common/Refusals) and the panel's own field rules (ValidationMessages).
 */
class PageTextTest {
    private static final Path MESSAGES = Path.of("src/main/resources/messages"), TEMPLATES = Path.of("ui-templates");
    /** Messages that read the same in both languages: names, units, examples. */
    private static final Set<String> SAME_IN_BOTH = Set.of("brand", "language_en", "language_ja", "mib", "search_host_hint", "order_ssh_keys_example", "users_invite_example",
            "server_tcp", "server_udp", "server_cpu", "isolation_seccomp", "copies_ms", "chart_gib",
            "hosts_agent_address_example", "hosts_fingerprint_example", "host_public_address_example", "host_backup_store_example", "host_sha256",
            "host_cgroup", "host_cpu", "host_gib", "networks_ipv4", "networks_ipv6", "networks_uplink_example", "networks_name_example",
            "networks_ipv6_prefix_example", "networks_ipv6_gateway_example", "tenants_slug_example", "tenants_owner_email_example");
    /** Attributes a person reads (data-label heads a cell on a narrow screen; the rest name things for code and styles). */
    private static final Pattern READ_ATTRIBUTE = Pattern.compile(
            "\\s(placeholder|title|alt|aria-label|data-confirm|data-label|label)\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern LETTER = Pattern.compile("\\p{L}");

    @Test
    void everyKeyHasAnEnglishAndAJapaneseMessage() throws IOException {
        for (Class<?> bundle : List.of(Messages.class, ServerPageMessages.class, AdminMessages.class, Refusals.class)) {
            String name = bundle.getAnnotation(MessageBundle.class).value();
            Set<String> keys = keys(bundle);
            // Quarkus 3.33 resolves a bundle's messages in groups of 300 and calls the next group wrongly (a VerifyError
            // at start), and loses the 301st: a page's words past that go into a bundle of their own
            assertTrue(keys.size() <= 300, bundle.getSimpleName() + " has " + keys.size() + " messages, more than 300");
            Properties en = bundle(MESSAGES.resolve(name + "_en.properties")), ja = bundle(MESSAGES.resolve(name + "_ja.properties"));
            assertEquals(keys, new TreeSet<>(en.stringPropertyNames()), name + "_en.properties against " + bundle.getSimpleName());
            assertEquals(keys, new TreeSet<>(ja.stringPropertyNames()), name + "_ja.properties against " + bundle.getSimpleName());
            assertEquals(List.of(), untranslated(keys, en, ja), "Japanese messages still in English");
        }
    }

    /** The panel's own Bean Validation rules (ValidationMessages.properties, the API's English) have Japanese words too. */
    @Test
    void everyFieldRuleHasJapaneseWords() throws IOException {
        Properties en = bundle(Path.of("src/main/resources/ValidationMessages.properties")),
                ja = bundle(Path.of("src/main/resources/ValidationMessages_ja.properties"));
        assertTrue(ja.stringPropertyNames().containsAll(en.stringPropertyNames()), "ValidationMessages_ja.properties lacks some of " + en.keySet());
        assertEquals(List.of(), untranslated(en.stringPropertyNames(), en, ja), "Japanese rules still in English");
    }

    private static List<String> untranslated(Set<String> keys, Properties en, Properties ja) {
        List<String> untranslated = new ArrayList<>();
        for (String key : new TreeSet<>(keys)) {
            assertTrue(!en.getProperty(key).isBlank() && !ja.getProperty(key).isBlank(), "an empty message: " + key);
            if (en.getProperty(key).equals(ja.getProperty(key)) && !SAME_IN_BOTH.contains(key) && !key.equals("lang")) {
                untranslated.add(key);
            }
        }
        return untranslated;
    }

    @Test
    void theTemplatesHaveNoTextOfTheirOwn() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> templates;
        try (var walk = Files.walk(TEMPLATES)) {
            templates = walk.filter(p -> p.toString().endsWith(".html")).sorted().toList();
        }
        assertTrue(templates.size() > 10, "the templates are read: " + templates);
        for (Path template : templates) {
            for (String text : ownText(Files.readString(template))) {
                found.add(TEMPLATES.relativize(template) + ": " + text);
            }
        }
        assertEquals(List.of(), found);
    }

    /** The checker finds text in a text node, a read attribute and a literal printed by an expression. */
    @Test
    void theCheckerFindsText() {
        assertEquals(List.of("Hello"), ownText("<p>{msg:x} Hello</p>"));
        assertEquals(List.of("placeholder=\"part of it\""), ownText("<input placeholder=\"part of it\" name=\"q\">"));
        assertEquals(List.of("{s.host ?: 'none'}"), ownText("<td>{s.host ?: 'none'}</td>"));
        assertEquals(List.of(), ownText("<td class=\"muted\" data-label=\"{msg:x}\">{s.host ?: '—'} #{s.id} &amp; ·</td>"
                + "<option value=\"en\"{#if msg:lang == 'en'} selected{/if}><script>const a = 'b';</script>{! a comment !}<code>grant_type=x</code>"));
        assertEquals(List.of("data-label=\"State\""), ownText("<td data-label=\"State\">{msg:x}</td>"));
    }

    /** The words a template shows that are not taken from a bundle or from the data. */
    static List<String> ownText(String template) {
        List<String> found = new ArrayList<>();
        // comments, scripts, styles, and code (commands and headers are not translated)
        String html = template.replaceAll("(?s)\\{!.*?!}", "").replaceAll("(?s)<script.*?</script>", "")
                .replaceAll("(?s)<style.*?</style>", "").replaceAll("(?s)<code\\b[^>]*>.*?</code>", "");
        Matcher expression = Pattern.compile("\\{([^{}#/!][^{}]*)}").matcher(html);
        while (expression.find()) {
            if (Pattern.compile("'[^']*\\p{L}[^']*'").matcher(expression.group(1)).find()) {
                found.add(expression.group());
            }
        }
        String plain = html.replaceAll("\\{[^{}]*}", "").replaceAll("&#?\\w+;", "");
        Matcher tag = Pattern.compile("<[^>]*>").matcher(plain);
        int at = 0;
        while (tag.find()) {
            text(plain.substring(at, tag.start()), found);
            Matcher attribute = READ_ATTRIBUTE.matcher(tag.group());
            while (attribute.find()) {
                if (LETTER.matcher(attribute.group(2)).find()) {
                    found.add(attribute.group().trim());
                }
            }
            at = tag.end();
        }
        text(plain.substring(at), found);
        return found;
    }

    private static void text(String text, List<String> found) {
        if (LETTER.matcher(text).find()) {
            found.add(text.trim());
        }
    }

    /** The keys Messages declares: a method's name, or for a method of an enum, one per constant (state_running, operation_$move). */
    private static Set<String> keys(Class<?> bundle) {
        Set<String> keys = new TreeSet<>();
        for (Method m : bundle.getDeclaredMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0].isEnum()) {
                Object[] constants = m.getParameterTypes()[0].getEnumConstants();
                // Qute's rule: "_$" between the method and the constant where a constant has an underscore or a dollar
                String separator = Arrays.stream(constants).anyMatch(c -> c.toString().matches(".*[_$].*")) ? "_$" : "_";
                Arrays.stream(constants).forEach(c -> keys.add(m.getName() + separator + c));
            } else {
                keys.add(m.getName());
            }
        }
        return keys;
    }

    private static Properties bundle(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
