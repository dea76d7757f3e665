package io.corral.panel.common;

/**
 * Rules for the free text callers write (names, secrets, command arguments), as @Pattern expressions
 * with their messages. PostgreSQL's text cannot hold NUL (it would fail the request), nor can a
 * program's argument; a name is one line shown on pages and in logs.
 */
public final class Text {
    /**
     * One line: no control characters (NUL, line breaks, terminal escapes), no Unicode line or paragraph separators,
     * and no bidirectional overrides or isolates, which make a name show as another on a page.
     */
    public static final String LINE = "[^\\p{Cc}\\p{Zl}\\p{Zp}\\u202A-\\u202E\\u2066-\\u2069]*";
    /** In ValidationMessages, as the other rules: in the page's language on a page, English from the API. */
    public static final String LINE_RULE = "{corral.line}";
    /** Anything but NUL. */
    public static final String NO_NUL = "[^\\x00]*";
    public static final String NO_NUL_RULE = "{corral.no_nul}";

    private Text() {
    }
}
