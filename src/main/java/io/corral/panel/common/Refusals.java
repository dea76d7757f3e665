package io.corral.panel.common;

import io.quarkus.qute.i18n.MessageBundle;

/**
 * The words of every refusal (DomainException): English in messages/refusal_en.properties, which the API answers with
 * (problem+json stays English and stable for scripts), Japanese in messages/refusal_ja.properties, which a page shows a
 * user who reads Japanese. Each message is whole: an invalid field's message names the field itself.
 */
@MessageBundle(value = "refusal", locale = "en")
public interface Refusals {
    // the page's language (ui)
    String language_unknown(String languages);

    String language_signed_out();
}
