package dev.rpcparallel.api;

import java.util.Locale;

/** Argument checks of the API's constructors and builders, without a third-party library. */
final class Arguments {
    private Arguments() {}

    /**
     * Throws an {@link IllegalArgumentException} whose message is {@code template} with each
     * {@code %s} replaced by the next of {@code values} when {@code valid} is false.
     */
    static void check(boolean valid, String template, Object... values) {
        if (!valid) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, values));
        }
    }
}
